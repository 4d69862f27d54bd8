// The one route table (mocks/routes.h): matching paths with one or two placeholders, the
// httplib regex built from each pattern, and the key a Route is named by.
#include "mocks/routes.h"

#include <regex>
#include <string>

#include "gtest/gtest.h"

namespace taskbounds {
namespace {

constexpr char kId[] = "5f0c2a9e-8b1d-4c3e-9a7f-1d2e3f4a5b6c";

TEST(RoutesTest, TwoPlaceholdersMatchOneSegmentEachAndIdIsTheFirst) {
  std::string id;
  const std::string path = std::string("/workspaces/") + kId + "/approvals/ap-1/decide";
  const RouteSpec* spec = MatchRoute("POST", path, &id);
  ASSERT_NE(spec, nullptr);
  EXPECT_EQ(spec->route, Route::kDecideApproval);
  EXPECT_EQ(id, kId);
  EXPECT_EQ(PathSegment(path, 3), "ap-1");
  EXPECT_EQ(PathSegment(path, 5), "") << "past the last segment";
  EXPECT_EQ(MatchRoute("POST", std::string("/workspaces/") + kId + "/approvals//decide", &id),
            nullptr)
      << "an empty segment is no approval id";
  EXPECT_EQ(MatchRoute("POST", std::string("/workspaces/") + kId + "/approvals/a/b/decide", &id),
            nullptr);
}

TEST(RoutesTest, ListAndSingleWorkspaceRoutesDoNotOverlap) {
  std::string id = "unchanged";
  const RouteSpec* list = MatchRoute("GET", "/workspaces", &id);
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->route, Route::kListWorkspaces);
  EXPECT_EQ(id, "");
  const RouteSpec* one = MatchRoute("GET", std::string("/workspaces/") + kId, &id);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->route, Route::kGetWorkspace);
  EXPECT_EQ(MatchRoute("GET", "/workspaces/", &id), nullptr);
  EXPECT_EQ(MatchRoute("GET", std::string("/workspaces/") + kId + "/", &id), nullptr);
}

TEST(RoutesTest, EveryRegexMatchesItsOwnPatternShapeAndCapturesTheIds) {
  for (const RouteSpec& spec : Routes()) {
    std::string sample = spec.pattern;
    for (std::size_t at = sample.find('{'); at != std::string::npos; at = sample.find('{')) {
      sample.replace(at, sample.find('}', at) - at + 1, "seg");
    }
    std::smatch match;
    const std::regex regex(RouteRegex(spec));
    EXPECT_TRUE(std::regex_match(sample, match, regex)) << spec.key << " vs " << sample;
    std::string id;
    EXPECT_EQ(MatchRoute(spec.method, sample, &id), &spec) << spec.key;
  }
  EXPECT_EQ(RouteRegex(*FindRoute("POST /workspaces/{id}/approvals/{approval_id}/decide")),
            "/workspaces/([^/]+)/approvals/([^/]+)/decide");
  EXPECT_STREQ(RouteName(Route::kBuildInfo), "GET /buildinfo");
  EXPECT_STREQ(RouteName(Route::kSetModel), "PUT /workspaces/{id}/model");
}

}  // namespace
}  // namespace taskbounds
