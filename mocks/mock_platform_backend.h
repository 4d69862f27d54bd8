// MockPlatformBackend: a gMock PlatformBackend that behaves like InMemoryPlatform unless a
// test says otherwise (the gMock cookbook's "Delegating Calls to a Fake"). Typical use:
//
//   MockPlatformBackend backend(options);   // delegates every call to its InMemoryPlatform
//   EXPECT_CALL(backend, DeleteWorkspace(_, true, false)).Times(1);  // checks one interaction
//   FakePlatformServer server(backend);     // real HTTP in front of the mock
//
// Set expectations before the server starts: handlers run on httplib worker threads.
#ifndef MOCKS_MOCK_PLATFORM_BACKEND_H_
#define MOCKS_MOCK_PLATFORM_BACKEND_H_

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "mocks/in_memory_platform.h"
#include "mocks/platform_backend.h"

namespace taskbounds {

class MockPlatformBackend : public PlatformBackend {
 public:
  explicit MockPlatformBackend(FakePlatformOptions options = {}) : fake_(std::move(options)) {
    DelegateToFake();
  }

  MOCK_METHOD(Admission, Authorize, (Route route, const BackendRequest& request), (override));
  MOCK_METHOD(BackendReply, Health, (), (override));
  MOCK_METHOD(BackendReply, CreateWorkspace, (const BackendRequest& request), (override));
  MOCK_METHOD(BackendReply, GetWorkspace, (const std::string& id), (override));
  MOCK_METHOD(BackendReply, PatchWorkspace, (const std::string& id, const BackendRequest& request),
              (override));
  MOCK_METHOD(BackendReply, SetSecret, (const std::string& id, const BackendRequest& request),
              (override));
  MOCK_METHOD(BackendReply, DeleteWorkspace, (const std::string& id, bool confirm, bool purge),
              (override));
  MOCK_METHOD(BackendReply, SendA2A, (const std::string& id, const BackendRequest& request),
              (override));
  MOCK_METHOD(BackendReply, HeartbeatHistory,
              (const std::string& id, const BackendRequest& request), (override));
  MOCK_METHOD(BackendReply, Activity, (const std::string& id, const BackendRequest& request),
              (override));
  MOCK_METHOD(BackendReply, RegistryRegister, (const BackendRequest& request), (override));
  MOCK_METHOD(BackendReply, RegistryHeartbeat, (const BackendRequest& request), (override));
  MOCK_METHOD(BackendReply, EventStream, (const std::string& id, const BackendRequest& request),
              (override));
  MOCK_METHOD(BackendReply, A2AQueueItem, (const std::string& id, const std::string& queue_id),
              (override));
  MOCK_METHOD(std::vector<std::string>, LiveWorkspaceIds, (), (override));
  MOCK_METHOD(void, Shutdown, (), (override));

  // Every call goes to the fake unless a later ON_CALL/EXPECT_CALL overrides it.
  void DelegateToFake() {
    using ::testing::_;
    using ::testing::Invoke;
    ON_CALL(*this, Authorize(_, _)).WillByDefault(Invoke(&fake_, &InMemoryPlatform::Authorize));
    ON_CALL(*this, Health()).WillByDefault(Invoke(&fake_, &InMemoryPlatform::Health));
    ON_CALL(*this, CreateWorkspace(_))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::CreateWorkspace));
    ON_CALL(*this, GetWorkspace(_)).WillByDefault(Invoke(&fake_, &InMemoryPlatform::GetWorkspace));
    ON_CALL(*this, PatchWorkspace(_, _))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::PatchWorkspace));
    ON_CALL(*this, SetSecret(_, _)).WillByDefault(Invoke(&fake_, &InMemoryPlatform::SetSecret));
    ON_CALL(*this, DeleteWorkspace(_, _, _))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::DeleteWorkspace));
    ON_CALL(*this, SendA2A(_, _)).WillByDefault(Invoke(&fake_, &InMemoryPlatform::SendA2A));
    ON_CALL(*this, HeartbeatHistory(_, _))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::HeartbeatHistory));
    ON_CALL(*this, Activity(_, _)).WillByDefault(Invoke(&fake_, &InMemoryPlatform::Activity));
    ON_CALL(*this, RegistryRegister(_))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::RegistryRegister));
    ON_CALL(*this, RegistryHeartbeat(_))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::RegistryHeartbeat));
    ON_CALL(*this, EventStream(_, _)).WillByDefault(Invoke(&fake_, &InMemoryPlatform::EventStream));
    ON_CALL(*this, A2AQueueItem(_, _))
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::A2AQueueItem));
    ON_CALL(*this, LiveWorkspaceIds())
        .WillByDefault(Invoke(&fake_, &InMemoryPlatform::LiveWorkspaceIds));
    ON_CALL(*this, Shutdown()).WillByDefault(Invoke(&fake_, &InMemoryPlatform::Shutdown));
  }

  InMemoryPlatform& fake() { return fake_; }

 private:
  InMemoryPlatform fake_;
};

}  // namespace taskbounds

#endif  // MOCKS_MOCK_PLATFORM_BACKEND_H_
