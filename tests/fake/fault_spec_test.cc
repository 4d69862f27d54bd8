// The --fault syntax (mocks/fault_spec.h): every route key of the route table is accepted,
// hold and pass parse into the faults the server applies, and bad input names its cause.
#include "mocks/fault_spec.h"

#include <string>

#include "gtest/gtest.h"
#include "mocks/routes.h"

namespace taskbounds {
namespace {

TEST(FaultSpecTest, EveryRouteKeyAndTheWildcardAreAccepted) {
  for (const std::string& key : FakePlatformServer::RouteKeys()) {
    FaultFlag flag;
    EXPECT_EQ(ParseFaultFlag(key + ":status=500", &flag), std::nullopt) << key;
    EXPECT_EQ(flag.route, key);
  }
  FaultFlag flag;
  const std::optional<std::string> error = ParseFaultFlag("GET /nowhere:status=500", &flag);
  ASSERT_TRUE(error.has_value());
  EXPECT_NE(error->find("unknown route \"GET /nowhere\""), std::string::npos) << *error;
}

TEST(FaultSpecTest, TheDocumentedExampleParses) {
  FaultFlag flag;
  ASSERT_EQ(ParseFaultFlag(RouteKey(Route::kA2A) + ":status=503:count=2", &flag), std::nullopt);
  EXPECT_EQ(flag.route, "POST /workspaces/{id}/a2a");
  EXPECT_EQ(flag.fault.action, FaultAction::kRespond);
  EXPECT_EQ(flag.fault.status, 503);
  EXPECT_EQ(flag.count, 2);
  EXPECT_FALSE(flag.fault.hold);
}

TEST(FaultSpecTest, HoldAloneHoldsThenPasses) {
  FaultFlag flag;
  ASSERT_EQ(ParseFaultFlag("GET /health:hold", &flag), std::nullopt);
  EXPECT_TRUE(flag.fault.hold);
  EXPECT_EQ(flag.fault.action, FaultAction::kPass);
  EXPECT_EQ(flag.fault.Name(), "hold");
  EXPECT_EQ(flag.count, kEveryCall);
}

TEST(FaultSpecTest, HoldCombinesWithAnAnswer) {
  FaultFlag flag;
  ASSERT_EQ(ParseFaultFlag("*:hold:status=502:count=1", &flag), std::nullopt);
  EXPECT_TRUE(flag.fault.hold);
  EXPECT_EQ(flag.fault.action, FaultAction::kRespond);
  EXPECT_EQ(flag.fault.status, 502);
  EXPECT_EQ(flag.fault.Name(), "hold+status");
  EXPECT_EQ(flag.count, 1);
}

TEST(FaultSpecTest, PassIsANamedPassThrough) {
  FaultFlag flag;
  ASSERT_EQ(ParseFaultFlag("POST /workspaces:pass:count=3", &flag), std::nullopt);
  EXPECT_EQ(flag.fault.action, FaultAction::kPass);
  EXPECT_FALSE(flag.fault.hold);
  EXPECT_EQ(flag.fault.Name(), "pass");
  EXPECT_EQ(flag.count, 3);
}

TEST(FaultSpecTest, BodyTakesTheRestIncludingColons) {
  FaultFlag flag;
  ASSERT_EQ(ParseFaultFlag(R"(GET /health:status=500:body={"error":"a:b"})", &flag), std::nullopt);
  EXPECT_EQ(flag.fault.body, R"({"error":"a:b"})");
}

TEST(FaultSpecTest, BadSpecsNameTheirCause) {
  const std::pair<const char*, const char*> cases[] = {
      {"GET /health:pass:hang", "more than one of"},
      {"GET /health:status=99", "status must be 100..599"},
      {"GET /health:count=0", "count must be a positive number"},
      {"GET /health:hold=1", "unknown fault spec \"hold=1\""},
      {"GET /health:explode", "unknown fault spec \"explode\""},
      {"GET /health", "does nothing"},
      // --help: body=TEXT is "with status"; without one the answer's status was a guess.
      {"POST /workspaces:body=x", "body= needs a status=N before it"},
      {"POST /workspaces:count=1:body=x", "body= needs a status=N before it"},
  };
  for (const auto& [text, cause] : cases) {
    FaultFlag flag;
    const std::optional<std::string> error = ParseFaultFlag(text, &flag);
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_NE(error->find(cause), std::string::npos) << text << " -> " << *error;
  }
}

TEST(FaultSpecTest, HelpListsHoldPassAndAnExampleFromTheRouteTable) {
  const std::string help = FaultSpecHelp();
  EXPECT_NE(help.find("hold"), std::string::npos);
  EXPECT_NE(help.find("pass"), std::string::npos);
  EXPECT_NE(help.find("--fault='POST /workspaces/{id}/a2a:status=503:count=2'"), std::string::npos)
      << help;
}

}  // namespace
}  // namespace taskbounds
