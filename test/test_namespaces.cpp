// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Liveness across PID namespaces (containers that share /dev/shm and
// /tmp/zerobuffer): the peer runs under `unshare --pid --fork`, where it is
// pid 1. Its pid means nothing here - pid 1 is our init, which always exists -
// so only the lock files tell whether it lives (detail/liveness.hpp):
// - a live peer in another namespace is never reported dead;
// - a dead one is reported dead within a bounded time, although the pid it
//   recorded (1) exists here: a reused pid does not keep a dead peer alive.
//
// Skipped where unshare is missing or not permitted (no CAP_SYS_ADMIN).

#define BOOST_TEST_MODULE namespaces
#include <boost/test/unit_test.hpp>

#include "support/child_process.hpp"
#include "support/naming.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace zb = zerobuffer;
namespace ts = zerobuffer::test_support;
using patterns = zerobuffer::testing::test_data_patterns;
using namespace std::chrono_literals;

/// How often the sides check each other here, and how many intervals a live
/// peer must survive unreported.
constexpr auto liveness_interval = 50ms;
constexpr int intervals_observed = 8;
/// The bound for reporting a death (generous: the machine is noisy).
constexpr auto report_bound = 10s;

using zerobuffer::test::unique_name;

/// The unshare program, or "" when there is none.
std::string unshare_program()
{
    for (const char* p : {"/usr/bin/unshare", "/bin/unshare", "/usr/sbin/unshare"}) {
        if (::access(p, X_OK) == 0) {
            return p;
        }
    }
    return {};
}

/// Why a new PID namespace cannot be made here, or "" when it can.
std::string pid_namespace_unavailable()
{
    const std::string unshare = unshare_program();
    if (unshare.empty()) {
        return "no unshare program";
    }
    if (ts::peer_program().empty()) {
        return "no test peer";
    }
    ts::child_process probe(unshare, {"--pid", "--fork", "--kill-child", "/bin/true"});
    const auto status = probe.wait(30s);
    if (!status || !status->success()) {
        return "unshare --pid --fork failed (" +
               (status ? status->describe() : std::string("timeout")) + "; EPERM?)";
    }
    return {};
}

/// The peer with `args`, as pid 1 of a new PID namespace.
std::unique_ptr<ts::child_process> start_peer_in_namespace(const std::vector<std::string>& args)
{
    std::vector<std::string> full{"--pid", "--fork", "--kill-child", ts::peer_program()};
    full.insert(full.end(), args.begin(), args.end());
    return std::make_unique<ts::child_process>(unshare_program(), full);
}

/// SIGKILLs the peer itself (the namespace's pid 1, a child of unshare), so
/// that it dies as a crash does; unshare then exits on its own.
void kill_peer(ts::child_process& unshare)
{
    std::ifstream children("/proc/" + std::to_string(unshare.pid()) + "/task/" +
                           std::to_string(unshare.pid()) + "/children");
    pid_t peer = 0;
    if (children >> peer && peer > 0) {
        ::kill(peer, SIGKILL);
    } else {
        unshare.send_signal(SIGKILL); // --kill-child passes it on
    }
    const auto status = unshare.wait(30s);
    BOOST_TEST_REQUIRE(status.has_value(), "unshare did not end: " << unshare.describe());
}

zb::wait_strategy test_wait()
{
    zb::wait_strategy w = zb::wait_strategy::blocking();
    w.liveness_interval = liveness_interval;
    return w;
}

} // namespace

BOOST_AUTO_TEST_SUITE(namespaces)

BOOST_AUTO_TEST_CASE(writer_in_other_pid_namespace_lives_and_dies)
{
    if (const auto why = pid_namespace_unavailable(); !why.empty()) {
        BOOST_TEST_MESSAGE("skipped: " << why);
        return;
    }
    const std::string name = unique_name("namespaces_writer");
    zb::buffer_config cfg;
    cfg.payload_size = 64 * 1024;
    cfg.wait = test_wait();
    zb::reader r(name, cfg);

    auto peer = start_peer_in_namespace({"write", name, "--count", "5", "--size", "1000",
                                         "--hold-before-exit", "--connect-timeout-ms", "10000"});
    const std::string connected = ts::expect_line(*peer, "connected");
    // The peer sees itself as pid 1: it really is in another namespace.
    BOOST_TEST_REQUIRE(ts::line_number(connected, "pid") == 1u, connected);
    ts::expect_line(*peer, "holding");
    BOOST_TEST(r.health().oieb.writer_pid == 1u);

    std::uint64_t seq = 0;
    const auto read_frames = [&](int n) {
        for (int i = 0; i < n; ++i) {
            zb::frame f = r.read_frame(report_bound);
            BOOST_REQUIRE(f.valid());
            BOOST_TEST(f.sequence() == ++seq);
            BOOST_TEST(f.size() == 1000u);
            BOOST_TEST(patterns::verify_frame(f.bytes(), f.sequence()));
        }
    };
    read_frames(5);

    // Alive over several liveness intervals: waits time out, nothing reported.
    for (int i = 0; i < intervals_observed; ++i) {
        boost::system::error_code ec;
        zb::frame f = r.read_frame(liveness_interval * 2, ec);
        BOOST_TEST(!ec, "live writer reported: " << ec.message());
        BOOST_TEST(!f.valid());
        BOOST_TEST(r.is_writer_connected());
    }
    // And it still writes.
    BOOST_TEST_REQUIRE(peer->send_line("write 3"));
    read_frames(3);

    // The wait is the bound: no report within it fails the test.
    kill_peer(*peer);
    boost::system::error_code ec;
    zb::frame f = r.read_frame(report_bound, ec);
    BOOST_TEST(!f.valid());
    BOOST_TEST(ec == zb::errc::writer_dead, "got " << ec.message());
    BOOST_TEST(!r.is_writer_connected());

    // A new writer takes over, starting at sequence 1.
    zb::writer w(name);
    w.write_frame(patterns::frame_data(10, 1));
    f = r.read_frame(report_bound);
    BOOST_REQUIRE(f.valid());
    BOOST_TEST(f.sequence() == 1u);
}

BOOST_AUTO_TEST_CASE(reader_in_other_pid_namespace_lives_and_dies)
{
    if (const auto why = pid_namespace_unavailable(); !why.empty()) {
        BOOST_TEST_MESSAGE("skipped: " << why);
        return;
    }
    const std::string name = unique_name("namespaces_reader");
    auto peer = start_peer_in_namespace({"hold-reader", name, "--payload-size", "4096"});
    const std::string ready = ts::expect_line(*peer, "ready");
    BOOST_TEST_REQUIRE(ts::line_number(ready, "pid") == 1u, ready);
    ts::expect_line(*peer, "holding");

    zb::writer_options opt;
    opt.connect_timeout = 10s;
    opt.wait = test_wait();
    zb::writer w(name, opt);
    BOOST_TEST(w.is_reader_connected());

    // The reader holds its frames: the ring fills and the writer waits for
    // several liveness intervals, then times out: buffer_full, not reader_dead.
    w.set_write_timeout(liveness_interval * intervals_observed);
    const auto data = patterns::frame_data(1000, 1);
    boost::system::error_code ec;
    int written = 0;
    while (written < 100) {
        w.write_frame(data, ec);
        if (ec) {
            break;
        }
        ++written;
    }
    BOOST_TEST(written > 0);
    BOOST_TEST(ec == zb::errc::buffer_full, "got " << ec.message());
    BOOST_TEST(w.is_reader_connected());

    kill_peer(*peer);
    w.set_write_timeout(report_bound);
    w.write_frame(data, ec);
    BOOST_TEST(ec == zb::errc::reader_dead, "got " << ec.message());
    BOOST_TEST(!w.is_reader_connected());

    // The dead reader's buffer is removed once our writer has left.
    w.close();
    BOOST_CHECK_THROW(zb::writer{name}, zb::no_reader);
    zb::cleanup_stale_resources(name);
    // (A clean-up in another process may be the one that removes it.)
    const std::string lock = "/tmp/zerobuffer/" + name + ".lock";
    const auto deadline = std::chrono::steady_clock::now() + report_bound;
    while (::access(lock.c_str(), F_OK) == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    BOOST_TEST(::access(lock.c_str(), F_OK) != 0, lock << " is still there");
}

BOOST_AUTO_TEST_SUITE_END()
