"""The subset of rules_cc this project uses, forwarding to Bazel 4's native rules.

Upstream rules_cc's defs.bzl does the same forwarding (plus a migration tag); Debian's
packaged 0.0.4 cannot load on Bazel 4.2.3, so the project carries this shim.
"""

def cc_library(**attrs):
    native.cc_library(**attrs)

def cc_binary(**attrs):
    native.cc_binary(**attrs)

def cc_test(**attrs):
    native.cc_test(**attrs)

# Loaded by @bazel_tools's own BUILD files (C++ toolchain configuration, proto, objc).
def cc_import(**attrs):
    native.cc_import(**attrs)

def cc_proto_library(**attrs):
    native.cc_proto_library(**attrs)

def cc_toolchain(**attrs):
    native.cc_toolchain(**attrs)

def cc_toolchain_suite(**attrs):
    native.cc_toolchain_suite(**attrs)

def objc_library(**attrs):
    native.objc_library(**attrs)
