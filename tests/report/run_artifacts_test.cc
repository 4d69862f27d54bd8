// RunArtifacts (fixtures/run/run_artifacts.h): events.jsonl complete after every event, run.json
// only from run_completed on, nothing written when disabled, a failure named.
#include "fixtures/run/run_artifacts.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "client/event_log.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace taskbounds {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RunArtifactsTest : public testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/artifacts_" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(RunArtifactsTest, EveryEventIsInTheFileAsSoonAsItIsEmitted) {
  std::ostringstream console;
  RunArtifacts artifacts(console, dir_, "Fake/S.Kickoff/UnboundedDepth3");
  EventLog events(artifacts.stream());
  events.Emit("run_started", EventData().Int("synthesis_depth", 3).Num("time_scale", 0.01));
  EXPECT_EQ(ReadFile(dir_ + "/events.jsonl"), console.str());
  events.Emit("a2a_kickoff_sent");
  // Read before the artifacts object is destroyed: nothing waits for a flush at exit.
  const std::string file = ReadFile(dir_ + "/events.jsonl");
  EXPECT_EQ(file, console.str());
  EXPECT_NE(file.find("\"event\":\"a2a_kickoff_sent\""), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/run.json")) << "run.json before the run ended";
  EXPECT_TRUE(artifacts.ok()) << artifacts.error();
}

TEST_F(RunArtifactsTest, RunJsonHoldsIdentityConfigVerdictAndCleanup) {
  std::ostringstream console;
  RunArtifacts artifacts(console, dir_, "Fake/S.Kickoff/IdleTimeoutDepth8");
  EventLog events(artifacts.stream());
  events.Emit("run_started", EventData().Int("synthesis_depth", 8).Num("time_scale", 0.01));
  events.Emit("platform_build", EventData().Str("platform_git_sha", "aeec8e47"));
  events.Emit("pm_provisioned", EventData().Str("workspace_id", "pm-1"));
  events.Emit("verdict", EventData()
                             .Str("verdict", "bounded_by_platform")
                             .Str("mechanism", "idle_timer")
                             .Num("task_secs", 18.5));
  events.Emit("run_completed", EventData().Str("pm_id", "pm-1"));
  events.Emit("cleanup_deleted", EventData().Str("workspace_id", "pm-1"));
  rapidjson::Document run;
  ASSERT_FALSE(run.Parse(ReadFile(dir_ + "/run.json").c_str()).HasParseError());
  EXPECT_STREQ(run["test_name"].GetString(), "Fake/S.Kickoff/IdleTimeoutDepth8");
  EXPECT_TRUE(run["ended_normally"].GetBool());
  EXPECT_EQ(run["config"]["synthesis_depth"].GetInt(), 8);
  EXPECT_STREQ(run["verdict"]["mechanism"].GetString(), "idle_timer");
  EXPECT_DOUBLE_EQ(run["verdict"]["task_secs"].GetDouble(), 18.5);
  EXPECT_STREQ(run["pm"]["workspace_id"].GetString(), "pm-1");
  EXPECT_STREQ(run["platform"]["platform_git_sha"].GetString(), "aeec8e47");
  ASSERT_EQ(run["cleanup"].Size(), 1u);
  EXPECT_STREQ(run["cleanup"][0]["event"].GetString(), "cleanup_deleted");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/run.json.tmp"));
}

TEST_F(RunArtifactsTest, WithoutADirectoryOnlyTheConsoleGetsLines) {
  std::ostringstream console;
  RunArtifacts artifacts(console, "", "x");
  EventLog events(artifacts.stream());
  events.Emit("run_completed");
  EXPECT_NE(console.str().find("run_completed"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_));
  EXPECT_TRUE(artifacts.ok());
}

TEST_F(RunArtifactsTest, DirectoryComesFromResultsDirThenBazelsOutputsDir) {
  ASSERT_EQ(setenv("RESULTS_DIR", "/r", 1), 0);
  EXPECT_EQ(RunArtifacts::DirFromEnvironment("Fake/S.Kickoff/Depth3 x"),
            "/r/Fake_S.Kickoff_Depth3_x");
  ASSERT_EQ(unsetenv("RESULTS_DIR"), 0);
  ASSERT_EQ(setenv("TEST_UNDECLARED_OUTPUTS_DIR", "/o", 1), 0);
  EXPECT_EQ(RunArtifacts::DirFromEnvironment("../a"), "/o/.._a");
  ASSERT_EQ(unsetenv("TEST_UNDECLARED_OUTPUTS_DIR"), 0);
  EXPECT_EQ(RunArtifacts::DirFromEnvironment("a"), "");
}

TEST_F(RunArtifactsTest, RelativeResultsDirIsTakenFromWhereBazelRunWasCalled) {
  ASSERT_EQ(setenv("RESULTS_DIR", "out", 1), 0);
  ASSERT_EQ(setenv("BUILD_WORKING_DIRECTORY", "/home/me/repo", 1), 0);
  EXPECT_EQ(RunArtifacts::DirFromEnvironment("a"), "/home/me/repo/out/a");
  ASSERT_EQ(setenv("RESULTS_DIR", "/abs", 1), 0);
  EXPECT_EQ(RunArtifacts::DirFromEnvironment("a"), "/abs/a");
  ASSERT_EQ(unsetenv("BUILD_WORKING_DIRECTORY"), 0);
  ASSERT_EQ(unsetenv("RESULTS_DIR"), 0);
}

TEST_F(RunArtifactsTest, AnUnwritableDirectoryIsNamedAndTheConsoleStillWorks) {
  std::filesystem::create_directories(dir_);
  ASSERT_TRUE(std::ofstream(dir_ + "/file").good());
  std::ostringstream console;
  RunArtifacts artifacts(console, dir_ + "/file/sub", "x");
  EventLog events(artifacts.stream());
  events.Emit("run_started");
  EXPECT_FALSE(artifacts.ok());
  EXPECT_NE(artifacts.error().find(dir_ + "/file/sub/events.jsonl"), std::string::npos)
      << artifacts.error();
  EXPECT_NE(console.str().find("run_started"), std::string::npos);
}

TEST_F(RunArtifactsTest, LocateNamesTheSettingThatGaveTheDirectory) {
  ASSERT_EQ(setenv("RESULTS_DIR", "/r", 1), 0);
  ASSERT_EQ(setenv("TEST_UNDECLARED_OUTPUTS_DIR", "/o", 1), 0);
  const RunArtifacts::Location flag = RunArtifacts::Locate("a", "/f");
  EXPECT_EQ(flag.dir, "/f/a");
  EXPECT_EQ(flag.source, "--results-dir");
  EXPECT_EQ(flag.base, "/f");
  EXPECT_EQ(RunArtifacts::Locate("a").source, "RESULTS_DIR");
  ASSERT_EQ(unsetenv("RESULTS_DIR"), 0);
  EXPECT_EQ(RunArtifacts::Locate("a").source, "TEST_UNDECLARED_OUTPUTS_DIR");
  ASSERT_EQ(unsetenv("TEST_UNDECLARED_OUTPUTS_DIR"), 0);
  EXPECT_EQ(RunArtifacts::Locate("a").source, "");
}

TEST_F(RunArtifactsTest, CheckWritableCreatesTheFolderAndLeavesNothingElse) {
  const RunArtifacts::Location location{dir_ + "/new/run", "RESULTS_DIR", dir_ + "/new"};
  EXPECT_EQ(RunArtifacts::CheckWritable(location), "");
  ASSERT_TRUE(std::filesystem::is_directory(location.dir));
  EXPECT_TRUE(std::filesystem::is_empty(location.dir));
  EXPECT_EQ(RunArtifacts::CheckWritable({"", "", ""}), "") << "no folder set: nothing to check";
}

TEST_F(RunArtifactsTest, CheckWritableNamesTheSettingThePathAndTheCause) {
  std::filesystem::create_directories(dir_);
  ASSERT_TRUE(std::ofstream(dir_ + "/file").good());
  const std::string error =
      RunArtifacts::CheckWritable({dir_ + "/file/run", "--results-dir", dir_ + "/file"});
  EXPECT_EQ(error, "--results-dir=" + dir_ + "/file is not writable: cannot create " + dir_ +
                       "/file/run (Not a directory): choose a directory you can write");
}

// A file the run will write that is there already but cannot be written stops the run
// before it starts (not a "cannot create" line mid-run): checked by opening it.
TEST_F(RunArtifactsTest, CheckWritableOpensTheFilesTheRunWillWrite) {
  const RunArtifacts::Location location{dir_ + "/run", "RESULTS_DIR", dir_};
  std::filesystem::create_directories(location.dir + "/events.jsonl");
  EXPECT_EQ(RunArtifacts::CheckWritable(location),
            "RESULTS_DIR=" + dir_ + " is not writable: cannot write " + location.dir +
                "/events.jsonl (Is a directory): choose a directory you can write");
  std::filesystem::remove(location.dir + "/events.jsonl");
  std::filesystem::create_directories(location.dir + "/run.json");
  EXPECT_EQ(RunArtifacts::CheckWritable(location),
            "RESULTS_DIR=" + dir_ + " is not writable: cannot write " + location.dir +
                "/run.json (Is a directory): choose a directory you can write");
  std::filesystem::remove(location.dir + "/run.json");
  ASSERT_TRUE(std::ofstream(location.dir + "/events.jsonl").good());
  EXPECT_EQ(RunArtifacts::CheckWritable(location), "") << "a writable file is fine";
  // A read-only file: root writes it anyway, so the permission case holds for other users.
  ASSERT_EQ(::chmod((location.dir + "/events.jsonl").c_str(), 0444), 0);
  if (::geteuid() != 0) {
    EXPECT_EQ(RunArtifacts::CheckWritable(location),
              "RESULTS_DIR=" + dir_ + " is not writable: cannot write " + location.dir +
                  "/events.jsonl (Permission denied): choose a directory you can write");
  }
}

TEST_F(RunArtifactsTest, IdentityIsInRunJsonWithThePlatformBuild) {
  std::ostringstream console;
  RunArtifacts artifacts(console, dir_, "measure/Depth3");
  artifacts.Identify("run_tag", "20261130t071500z-a1b2c3");
  artifacts.Identify("scenario", "agent_failure");
  artifacts.Identify("synthesis_depth", 3);
  artifacts.Identify("time_scale", 0.001);
  artifacts.Identify("scenario", "unbounded");  // the last value wins
  EventLog events(artifacts.stream());
  events.Emit("platform_build", EventData().Str("platform_git_sha", "aeec8e47"));
  events.Emit("run_completed");
  rapidjson::Document run;
  ASSERT_FALSE(run.Parse(ReadFile(dir_ + "/run.json").c_str()).HasParseError());
  ASSERT_TRUE(run.HasMember("identity") && run["identity"].IsObject());
  const rapidjson::Value& identity = run["identity"];
  EXPECT_STREQ(identity["run_tag"].GetString(), "20261130t071500z-a1b2c3");
  EXPECT_STREQ(identity["scenario"].GetString(), "unbounded");
  EXPECT_EQ(identity["synthesis_depth"].GetInt(), 3);
  EXPECT_DOUBLE_EQ(identity["time_scale"].GetDouble(), 0.001);
  EXPECT_STREQ(identity["platform_git_sha"].GetString(), "aeec8e47");
  EXPECT_EQ(identity.MemberCount(), 5U);
}

}  // namespace
}  // namespace taskbounds
