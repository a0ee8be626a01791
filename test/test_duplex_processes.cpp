// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/duplex across processes: a server or a client SIGKILLed, and one
// server run serving successive clients. CONFORMANCE 9.4, 9.5, 9.11.
//
// Every fork happens while this process runs no thread of its own (servers
// run in children, or are started after the fork), so the children inherit
// no lock held by another thread.

#define BOOST_TEST_MODULE duplex_processes
#include <boost/test/unit_test.hpp>

#include "support/duplex.hpp"
#include "support/duplex_processes.hpp"
#include "support/forked.hpp"
#include "support/naming.hpp"
#include "support/raw_segment.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <chrono>
#include <csignal>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>

using namespace std::chrono_literals;
namespace duplex = zerobuffer::duplex;
using zerobuffer::errc;
using zerobuffer::test::channel_resources;
using zerobuffer::test::echo;
using zerobuffer::test::eventually;
using zerobuffer::test::exit_code;
using zerobuffer::test::fork_child;
using zerobuffer::test::kill_and_reap;
using zerobuffer::test::pattern;
using zerobuffer::test::small_client;
using zerobuffer::test::small_server;
using zerobuffer::test::stuck_server_process;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

namespace {

using clock_type = std::chrono::steady_clock;

/// `count` requests, each answered with its echo and sequence: the number
/// that were.
int echoed(duplex::client& c, int count)
{
    int good = 0;
    for (int i = 0; i < count; ++i) {
        const auto seq = c.requests_sent() + 1;
        boost::system::error_code ec;
        auto f = c.request(pattern(200, seq), 5s, ec);
        good += !ec && f.sequence() == seq && test_data_patterns::verify_frame(f.bytes(), seq);
    }
    return good;
}

/// A server in a child process, serving echo until SIGTERM, then stopping
/// cleanly (exit 0). SIGTERM is blocked before the server's threads start,
/// so only sigwait takes it.
pid_t echo_server_process(const std::string& name, duplex::processing strategy)
{
    return fork_child([name, strategy] {
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &term, nullptr);
        duplex::server s(name, small_server());
        s.start(echo, strategy);
        int sig = 0;
        sigwait(&term, &sig);
        s.stop();
        return 0;
    });
}

} // namespace

BOOST_AUTO_TEST_SUITE(duplex_processes)

BOOST_AUTO_TEST_CASE(c9_4_server_killed_during_processing_is_server_dead_not_a_hang)
{
    const auto name = unique_name("dxp_srv_kill");
    const pid_t server = stuck_server_process(name);
    {
        duplex::client c(name, small_client()); // waits for the server's buffer
        c.send_request(pattern(64, 1));
        std::this_thread::sleep_for(200ms); // the handler runs
        kill_and_reap(server);
        const auto start = clock_type::now();
        boost::system::error_code ec;
        auto f = c.receive_response(30s, ec);
        const auto waited = clock_type::now() - start;
        BOOST_TEST(!f.valid());
        BOOST_TEST(ec == errc::server_dead, ec.message());
        BOOST_TEST((ec == zerobuffer::condition::peer_gone));
        BOOST_TEST((waited < 5s)); // about the liveness interval, never the 30 s
        BOOST_TEST(!c.is_server_connected());
    }
    zerobuffer::cleanup_stale_resources(duplex::request_buffer_name(name));
    BOOST_TEST(channel_resources(name).empty());
}

BOOST_AUTO_TEST_CASE(c9_4_server_killed_before_answering_anything_is_server_dead)
{
    const auto name = unique_name("dxp_srv_kill0");
    const pid_t server = echo_server_process(name, duplex::processing::single_thread());
    {
        duplex::client c(name, small_client());
        BOOST_TEST(c.is_server_connected());
        kill_and_reap(server); // before any request: it never attached our responses
        boost::system::error_code ec;
        c.send_request(pattern(64, 1), ec); // room in the ring: written
        const auto start = clock_type::now();
        c.receive_response(30s, ec);
        BOOST_TEST(ec == errc::server_dead, ec.message());
        BOOST_TEST((clock_type::now() - start < 5s));
        c.request(pattern(64, 2), 30s, ec);
        BOOST_TEST(ec == errc::server_dead, ec.message());
    }
    zerobuffer::cleanup_stale_resources(duplex::request_buffer_name(name));
    BOOST_TEST(channel_resources(name).empty());
}

BOOST_AUTO_TEST_CASE(c9_5_client_killed_while_the_server_responds)
{
    for (const auto& strategy :
         {duplex::processing::single_thread(), duplex::processing::thread_pool(4)}) {
        const auto name = unique_name("dxp_cli_kill");
        // The client first (no thread runs here yet): it fills its small
        // response ring and never reads, so the server is writing when the
        // client dies.
        const pid_t victim = fork_child([name] {
            duplex::client c(name, small_client(8 * 1024));
            for (std::uint64_t i = 1; i <= 100; ++i) {
                c.send_request(pattern(1000, i));
            }
            std::this_thread::sleep_for(60s);
            return 0;
        });
        duplex::server s(name, small_server(1 << 20));
        s.start(echo, strategy);
        BOOST_TEST_REQUIRE(eventually([&] { return s.counters().requests_handled >= 5; }));
        // All 100 requests are in the request ring before the client dies
        // (its written count, in the OIEB at 0x40), so each is accounted for.
        const zerobuffer::test::raw_segment requests(duplex::request_buffer_name(name));
        BOOST_TEST_REQUIRE(eventually([&] {
            std::uint64_t written = 0;
            std::memcpy(&written, requests.data() + 0x40, sizeof written);
            return written == 100;
        }));
        BOOST_TEST(s.counters().requests_handled < 100u); // it waits for room
        kill_and_reap(victim);
        BOOST_TEST(eventually([&] { return !s.is_client_connected(); }));
        // The server survived and serves the next client in the same run.
        duplex::client next(name, small_client());
        BOOST_TEST(echoed(next, 50) == 50);
        BOOST_TEST(s.is_running());
        next.close();
        s.stop(); // the counters are final once it stopped
        const auto counters = s.counters();
        BOOST_TEST(counters.clients_served == 2u);
        BOOST_TEST(counters.requests_dropped > 0u);
        BOOST_TEST(counters.requests_handled + counters.requests_dropped == 150u);
        BOOST_TEST(channel_resources(name).empty());
    }
}

BOOST_AUTO_TEST_CASE(c9_8_a_failing_handler_in_the_server_process_keeps_the_channel_in_step)
{
    // The server in its own process: every third request throws, every
    // third answers with more than the client's 16 KiB response ring holds.
    const auto name = unique_name("dxp_fail");
    const pid_t server = fork_child([name] {
        sigset_t term;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &term, nullptr);
        duplex::server s(name, small_server());
        s.start(
            [](const duplex::request& req) {
                if (req.sequence() % 3 == 1) {
                    throw std::runtime_error("refused " + std::to_string(req.sequence()));
                }
                if (req.sequence() % 3 == 2) {
                    return std::vector<std::byte>(64 * 1024);
                }
                return echo(req);
            },
            duplex::processing::thread_pool(2));
        int sig = 0;
        sigwait(&term, &sig);
        s.stop();
        const auto counters = s.counters();
        return counters.handler_errors == 20 && counters.requests_handled == 10 ? 0 : 3;
    });
    {
        duplex::client c(name, small_client(16 * 1024));
        for (std::uint64_t i = 1; i <= 30; ++i) {
            c.send_request(pattern(100, i)); // pipelined
        }
        int as_expected = 0;
        for (std::uint64_t i = 1; i <= 30; ++i) {
            boost::system::error_code ec;
            auto f = c.receive_response(5s, ec);
            BOOST_TEST_REQUIRE(f.valid());
            BOOST_TEST_REQUIRE(f.sequence() == i);
            const auto text = duplex::error_response_text(f);
            switch (i % 3) {
            case 1:
                as_expected += ec == errc::handler_failed && text == "refused " + std::to_string(i);
                break;
            case 2:
                as_expected += ec == errc::handler_failed && text.find("too large") != text.npos;
                break;
            default: as_expected += !ec && test_data_patterns::verify_frame(f.bytes(), i);
            }
        }
        BOOST_TEST(as_expected == 30);
    }
    ::kill(server, SIGTERM);
    BOOST_TEST(exit_code(server) == 0); // its counters: 20 errors, 10 handled
    BOOST_TEST(channel_resources(name).empty());
}

BOOST_AUTO_TEST_CASE(c9_11_one_run_serves_a_late_client_a_closed_one_and_a_killed_one)
{
    const auto name = unique_name("dxp_successive");
    const pid_t server = echo_server_process(name, duplex::processing::thread_pool(2));
    // The references give up when no client comes within 5 s; ours waits.
    std::this_thread::sleep_for(5500ms);
    {
        duplex::client first(name, small_client());
        BOOST_TEST(echoed(first, 50) == 50);
    } // closed gracefully
    const pid_t killed = fork_child([name] {
        duplex::client c(name, small_client());
        if (echoed(c, 20) != 20) {
            return 3;
        }
        for (std::uint64_t i = 21; i <= 60; ++i) {
            c.send_request(pattern(200, i)); // outstanding when it dies
        }
        ::raise(SIGKILL);
        return 4;
    });
    BOOST_TEST(exit_code(killed) == -1); // died by the signal, after 20 good answers
    {
        duplex::client third(name, small_client());
        BOOST_TEST(echoed(third, 50) == 50);
    }
    ::kill(server, SIGTERM);
    BOOST_TEST(exit_code(server) == 0);
    zerobuffer::cleanup_stale_resources(duplex::response_buffer_name(name));
    BOOST_TEST(channel_resources(name).empty());
}

BOOST_AUTO_TEST_SUITE_END()
