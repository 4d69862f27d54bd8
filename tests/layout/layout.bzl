"""The layout rules' package lists and test macro (DEVELOPERS.md "Layout rules (enforced)")."""

# Every package outside //tests/...: the product, its gtest glue, the tools and the root's
# entry points. The rules' subjects are taken from this list by folder, and
# //tests/layout:product_packages_listed_test fails when a package the product reaches is
# missing from it.
PRODUCT_PACKAGES = [
    "//",
    "//client",
    "//client/fuzz",
    "//fixtures",
    "//fixtures/run",
    "//mocks",
    "//mocks/agent",
    "//mocks/fuzz",
    "//mocks/http",
    "//mocks/platform",
    "//third_party",
    "//tools",
    "//tools/report",
]

# The genqueries' scope: targets whose dependencies together hold every target of
# PRODUCT_PACKAGES (a genquery sees nothing outside its scope). A new target that nothing
# here reaches (a new binary, fuzzer or test helper) makes the analysis of //tests/layout
# fail with "target '//x:y' is not within the scope of the query": add it here, and
# "//tests/layout:__pkg__" to its visibility (a genquery's scope must be visible to it).
LAYOUT_SCOPE = [
    "//:fake_platform",
    "//:live",
    "//:measure",
    "//client/fuzz:fuzzers",
    "//fixtures:coordinator_fixture",
    "//mocks:mock_platform_backend",
    "//mocks:request_log_matchers",
    "//mocks/agent:synthetic_agent",
    "//mocks/fuzz:fuzzers",
    "//tools:fake_platform_bench",
    "//tools:report",
    "//tools:sweep",
    "//tools:task_follower_bench",
    "//tools/report:browser",
    "//tools/report:debian_python_runtimes",
    "//tools/report:debian_python_toolchain",
    "//tools/report:history",
    "//tools/report:nightly_files",
]

def packages_under(folder):
    """The PRODUCT_PACKAGES at or below `folder`, e.g. "//mocks"."""
    return [p for p in PRODUCT_PACKAGES if p == folder or p.startswith(folder + "/")]

def all_targets(packages):
    """A query expression for every rule target of `packages`."""
    return " + ".join([p + ":all" for p in packages])

def layout_rule_test(name, rule, why, expression, shows):
    """A test that fails, naming what it found, when `expression` finds anything.

    Args:
      name: the test's name; its genquery is name + "_found".
      rule: the rule, as DEVELOPERS.md "Layout rules (enforced)" states it.
      why: the reason for the rule, one sentence.
      expression: a query over LAYOUT_SCOPE whose result is the rule's violations.
      shows: "path" (expression is a somepath: printed as a chain) or "targets" (one
        offending target per line).
    """
    native.genquery(
        name = name + "_found",
        testonly = True,
        expression = expression,
        opts = ["--noimplicit_deps"] + (["--output=label_kind"] if shows == "targets" else []),
        scope = LAYOUT_SCOPE,
    )
    native.sh_test(
        name = name,
        size = "small",
        srcs = ["check_layout_rule.sh"],
        args = [
            "$(rootpath :%s_found)" % name,
            shows,
        ],
        data = [":%s_found" % name],
        env = {
            "LAYOUT_RULE": rule,
            "LAYOUT_WHY": why,
        },
    )
