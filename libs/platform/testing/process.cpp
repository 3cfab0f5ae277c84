#include "platform/testing/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "platform/core/ids.hpp"

extern char** environ;

namespace microstore::testing {

ChildProcess::ChildProcess(const std::string& binary, std::vector<std::string> args,
                           const std::map<std::string, std::string>& environment) {
  output_path_ = "/tmp/microstore-child-" + core::NewUuid() + ".log";
  std::map<std::string, std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    const auto eq = text.find('=');
    if (eq != std::string::npos) merged[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [key, value] : environment) merged[key] = value;
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : merged) env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = ::open(output_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    // The test's own descriptors (Asio opens sockets without close-on-exec) must not live on in
    // the child: a test server the test "stopped" would go on accepting through the child's copy.
    ::close_range(3, ~0U, 0);
    ::execve(binary.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (Running()) {
    ::kill(pid_, SIGKILL);
    Wait(std::chrono::seconds(10));
  }
  ::unlink(output_path_.c_str());
}

void ChildProcess::Signal(int signal) const { ::kill(pid_, signal); }

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exit_code_) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return exit_code_;
}

bool ChildProcess::Running() { return !Wait(std::chrono::milliseconds(0)).has_value(); }

std::string ChildProcess::Output() const {
  std::ifstream in(output_path_);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string SimpleResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (boost::beast::iequals(key, name)) return value;
  }
  return "";
}

SimpleResponse HttpRequest(unsigned short port, const std::string& method, const std::string& target,
                           const std::string& body, const std::string& extra_headers) {
  namespace asio = boost::asio;
  namespace bhttp = boost::beast::http;
  try {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    timeval timeout{10, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string raw = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers +
                      (body.empty() ? "" : "Content-Type: application/json\r\n") +
                      "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    asio::write(socket, asio::buffer(raw));
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> response;
    bhttp::read(socket, buffer, response);
    SimpleResponse answer{static_cast<int>(response.result_int()), response.body(), {}};
    for (const auto& field : response) {
      answer.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    return answer;
  } catch (const std::exception&) {
    return {};
  }
}

bool WaitForHttpStatus(unsigned short port, const std::string& path, int status, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (HttpRequest(port, "GET", path).status == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace microstore::testing
