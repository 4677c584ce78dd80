// A cpp-httplib server on 127.0.0.1 for tests of the HTTP client, and a meter
// of how many handlers run at once.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

namespace qdrift::testing {

// A loopback server. Register routes via routes() before start(); the thread
// pool is large so the server itself never caps how many requests run at once.
class LoopbackServer {
 public:
  LoopbackServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(128); };
    server_.set_keep_alive_max_count(100000);  // the default (5) would defeat reuse
    server_.set_tcp_nodelay(true);             // else Nagle + delayed ACKs add 40 ms per answer
    server_.set_socket_options([this](int fd) {
      httplib::default_socket_options(fd);
      listen_fd_ = fd;
    });
  }
  ~LoopbackServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  httplib::Server& routes() { return server_; }

  // Stops listening and closes its connections, as a killed server would.
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    REQUIRE(port_ > 0);
    // httplib listens with a backlog of 5; a burst of 64 connects would see SYNs
    // dropped and retried a second later. Re-listening on Linux raises the backlog.
    REQUIRE(::listen(listen_fd_, SOMAXCONN) == 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  int listen_fd_ = -1;
};

// Counts handlers running at once on the server and remembers the peak.
class ConcurrencyMeter {
 public:
  void enter() {
    const int now = ++current_;
    int seen = peak_.load();
    while (now > seen && !peak_.compare_exchange_weak(seen, now)) {
    }
  }
  void leave() { --current_; }
  int current() const { return current_.load(); }
  int peak() const { return peak_.load(); }

 private:
  std::atomic<int> current_{0};
  std::atomic<int> peak_{0};
};

}  // namespace qdrift::testing
