// TLS trust for private deployments: a real TLS server on loopback (`openssl s_server`)
// with a certificate signed by a CA this test makes. With the CA given the way curl's tool
// takes it (SSL_CERT_FILE / CURL_CA_BUNDLE as a file, SSL_CERT_DIR as a hashed directory)
// the request succeeds; without it, it fails with the certificate error. Verification is
// never switched off.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/config.h"
#include "client/platform_client.h"
#include "curl/curl.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/subprocess.h"
#include "tests/support/wait.h"

namespace taskbounds {
namespace {

using ::testing::HasSubstr;

constexpr char kOpenssl[] = "/usr/bin/openssl";

std::string TmpDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp");
}

::testing::AssertionResult Openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kOpenssl};
  argv.insert(argv.end(), args.begin(), args.end());
  CompletedProcess done;
  auto ran = RunToCompletion(argv, EnvironmentWith({}), DefaultWait(), Subprocess::Stderr::kCapture,
                             &done);
  if (!ran) {
    return ran << " (openssl " << args.at(0) << ")";
  }
  if (done.exit_code != 0) {
    return ::testing::AssertionFailure()
           << "openssl " << args.at(0) << " exited " << done.exit_code << ": " << done.err;
  }
  return ::testing::AssertionSuccess();
}

// A CA, a server certificate for IP 127.0.0.1 it signs, and a hashed directory holding
// the CA (for SSL_CERT_DIR), all under TEST_TMPDIR.
struct TestPki {
  std::string dir = TmpDir() + "/pki";
  std::string ca_pem = dir + "/ca.pem";
  std::string other_ca_pem = dir + "/other-ca.pem";  // a CA that signed nothing here
  std::string hashed_dir = dir + "/hashed";
  std::string server_pem = dir + "/server.pem";
  std::string server_key = dir + "/server.key";

  ::testing::AssertionResult Make() const {
    const std::string ext = dir + "/ext.cnf";
    if (std::system(("mkdir -p '" + hashed_dir + "'").c_str()) != 0) {
      return ::testing::AssertionFailure() << "cannot create " << hashed_dir;
    }
    std::FILE* f = std::fopen(ext.c_str(), "w");
    if (f == nullptr) {
      return ::testing::AssertionFailure() << "cannot write " << ext;
    }
    std::fputs("subjectAltName=IP:127.0.0.1\n", f);
    std::fclose(f);
    const std::vector<std::string> ec = {"-newkey", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-nodes"};
    auto with = [&](std::vector<std::string> head, const std::vector<std::string>& tail) {
      head.insert(head.begin() + 1, ec.begin(), ec.end());
      head.insert(head.end(), tail.begin(), tail.end());
      return head;
    };
    ::testing::AssertionResult ok =
        Openssl(with({"req", "-x509"}, {"-keyout", dir + "/ca.key", "-out", ca_pem, "-subj",
                                        "/CN=taskbounds-test-ca", "-days", "2"}));
    if (ok) {
      ok = Openssl(with({"req", "-x509"}, {"-keyout", dir + "/other-ca.key", "-out", other_ca_pem,
                                           "-subj", "/CN=taskbounds-other-ca", "-days", "2"}));
    }
    if (ok) {
      ok = Openssl(with(
          {"req"}, {"-keyout", server_key, "-out", dir + "/server.csr", "-subj", "/CN=127.0.0.1"}));
    }
    if (ok) {
      ok = Openssl({"x509", "-req", "-in", dir + "/server.csr", "-CA", ca_pem, "-CAkey",
                    dir + "/ca.key", "-CAcreateserial", "-out", server_pem, "-days", "2",
                    "-extfile", ext});
    }
    if (ok && std::system(("cp '" + ca_pem + "' '" + hashed_dir + "/'").c_str()) != 0) {
      ok = ::testing::AssertionFailure() << "cannot copy the CA into " << hashed_dir;
    }
    return ok ? Openssl({"rehash", hashed_dir}) : ok;
  }
};

class TlsTrustTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TestPki();
    ASSERT_TRUE(pki_->Make());
    std::string error;
    server_ = Subprocess::Spawn({kOpenssl, "s_server", "-accept", "127.0.0.1:0", "-cert",
                                 pki_->server_pem, "-key", pki_->server_key, "-www"},
                                EnvironmentWith({}), &error, Subprocess::Stderr::kCapture)
                  .release();
    ASSERT_NE(server_, nullptr) << error;
    std::string line;
    ASSERT_TRUE(server_->WaitForLine(
        [](const std::string& l) { return l.rfind("ACCEPT ", 0) == 0; }, DefaultWait(), &line));
    url_ = "https://127.0.0.1:" + line.substr(line.rfind(':') + 1);
  }
  static void TearDownTestSuite() {
    delete server_;  // SIGKILL and reap
    delete pki_;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_FALSE(url_.empty());
  }

  static HttpExchange GetRoot(ClientOptions options) {
    options.base_url = url_;
    options.request_timeout_ms = DefaultWaitMs();
    PlatformClient client(options);
    return client.Send("GET", "/", "");
  }

  static TestPki* pki_;
  static Subprocess* server_;
  static std::string url_;
};

TestPki* TlsTrustTest::pki_ = nullptr;
Subprocess* TlsTrustTest::server_ = nullptr;
std::string TlsTrustTest::url_;

TEST_F(TlsTrustTest, WithoutThePrivateCaTheCertificateIsRefused) {
  const HttpExchange ex = GetRoot({});
  EXPECT_EQ(ex.curl_code, CURLE_PEER_FAILED_VERIFICATION) << ex.curl_error;
  EXPECT_THAT(ex.curl_error, HasSubstr("SSL certificate problem"));
  EXPECT_EQ(ex.http_status, 0);
}

TEST_F(TlsTrustTest, CaFileMakesTheRequestSucceed) {
  ClientOptions options;
  options.ca_file = pki_->ca_pem;
  const HttpExchange ex = GetRoot(options);
  ASSERT_TRUE(ex.transport_ok()) << ex.curl_error;
  EXPECT_EQ(ex.http_status, 200);
}

TEST_F(TlsTrustTest, HashedCaDirectoryMakesTheRequestSucceed) {
  ClientOptions options;
  options.ca_path = pki_->hashed_dir;
  const HttpExchange ex = GetRoot(options);
  ASSERT_TRUE(ex.transport_ok()) << ex.curl_error;
  EXPECT_EQ(ex.http_status, 200);
}

TEST_F(TlsTrustTest, SslCertFileFromTheEnvironmentReachesTheClient) {
  const std::map<std::string, std::string> env = {{"PLATFORM", url_},
                                                  {"ADMIN_TOKEN", "admin-token-0123456789"},
                                                  {"TENANT_ID", "tenant-42"},
                                                  {"OPENROUTER_API_KEY", "sk-or-k"},
                                                  {"SSL_CERT_FILE", pki_->ca_pem}};
  const ConfigResult config = LoadRunConfig([&](const std::string& name) {
    const auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
  ASSERT_TRUE(config.ok()) << config.error;
  const HttpExchange ex = GetRoot(config.config->ToClientOptions());
  ASSERT_TRUE(ex.transport_ok()) << ex.curl_error;
  EXPECT_EQ(ex.http_status, 200);
}

TEST_F(TlsTrustTest, ACaThatDidNotSignTheServerIsStillRefused) {
  // Giving a bundle replaces the trust store; it does not switch verification off.
  ClientOptions options;
  options.ca_file = pki_->other_ca_pem;
  const HttpExchange ex = GetRoot(options);
  EXPECT_EQ(ex.curl_code, CURLE_PEER_FAILED_VERIFICATION) << ex.curl_error;
}

}  // namespace
}  // namespace taskbounds
