// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/duplex: a server and its client in one process (the peer deaths
// are in test_duplex_processes.cpp). CONFORMANCE section 9.

#define BOOST_TEST_MODULE duplex
#include <boost/test/unit_test.hpp>

#include "support/duplex.hpp"
#include "support/naming.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
namespace duplex = zerobuffer::duplex;
using zerobuffer::errc;
using zerobuffer::test::channel_resources;
using zerobuffer::test::echo;
using zerobuffer::test::pattern;
using zerobuffer::test::small_client;
using zerobuffer::test::small_server;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

namespace {

/// Sends `count` pipelined requests (at most `window` outstanding) and checks
/// that each response echoes its request and carries its sequence.
void expect_echoed_in_order(duplex::client& c, int count, std::size_t window)
{
    std::uint64_t received = 0;
    std::uint64_t sent = 0;
    int mismatches = 0;
    while (received < static_cast<std::uint64_t>(count)) {
        while (sent < static_cast<std::uint64_t>(count) && sent - received < window) {
            const auto size = 1 + (sent * 37) % 300;
            const auto seq = c.send_request(pattern(size, sent + 1));
            BOOST_TEST_REQUIRE(seq == sent + 1);
            ++sent;
        }
        auto f = c.receive_response(5s);
        BOOST_TEST_REQUIRE(f.valid());
        ++received;
        const auto size = 1 + ((received - 1) * 37) % 300;
        if (f.sequence() != received || f.size() != size ||
            !test_data_patterns::verify_frame(f.bytes(), received)) {
            ++mismatches;
        }
    }
    BOOST_TEST(mismatches == 0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(duplex_channel)

BOOST_AUTO_TEST_CASE(c9_1_response_carries_the_request_sequence)
{
    const auto name = unique_name("dx_basic");
    duplex::server s(name, small_server());
    s.start(echo);
    BOOST_TEST(s.is_running());
    duplex::client c(name, small_client());
    BOOST_TEST(c.is_server_connected());
    for (std::uint64_t i = 1; i <= 5; ++i) {
        BOOST_TEST(c.send_request(pattern(64, i)) == i);
        auto f = c.receive_response(5s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == i);
        BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), i));
    }
    BOOST_TEST(!c.receive_response(10ms).valid()); // nothing more: a timeout
    BOOST_TEST(s.is_client_connected());
    s.stop(); // the counters are final once it stopped
    BOOST_TEST(s.counters().requests_handled == 5u);
    BOOST_TEST(s.counters().clients_served == 1u);
}

BOOST_AUTO_TEST_CASE(c9_1_the_server_meets_clients_of_both_reference_orders)
{
    // The reference C++ client attaches its request writer first, then
    // creates the response buffer; the reference Python client the other way
    // round. Built here from the core's reader and writer, as they do it.
    for (const bool writer_first : {true, false}) {
        BOOST_TEST_CONTEXT((writer_first ? "writer first" : "response buffer first"))
        {
            const auto name = unique_name("dx_refclient");
            duplex::server s(name, small_server());
            s.start(echo);
            std::optional<zerobuffer::writer> requests;
            std::optional<zerobuffer::reader> responses;
            zerobuffer::buffer_config config;
            config.payload_size = 64 * 1024;
            if (writer_first) {
                requests.emplace(duplex::request_buffer_name(name));
                responses.emplace(duplex::response_buffer_name(name), config);
            } else {
                responses.emplace(duplex::response_buffer_name(name), config);
                requests.emplace(duplex::request_buffer_name(name));
            }
            for (std::uint64_t i = 1; i <= 20; ++i) {
                requests->write_frame(pattern(100, i));
            }
            int good = 0;
            for (std::uint64_t i = 1; i <= 20; ++i) {
                auto f = responses->read_frame(5s);
                good += f.sequence() == i && test_data_patterns::verify_frame(f.bytes(), i);
            }
            BOOST_TEST(good == 20);
        }
    }
}

BOOST_AUTO_TEST_CASE(c9_1_the_client_meets_a_server_of_the_reference_kind)
{
    // A reference server creates the request buffer at start, then retries
    // attaching its response writer for about 5 s: our client has created
    // the response buffer by the time its constructor returns.
    const auto name = unique_name("dx_refserver");
    zerobuffer::buffer_config config;
    config.payload_size = 64 * 1024;
    zerobuffer::reader requests(duplex::request_buffer_name(name), config);
    std::thread server([&] {
        zerobuffer::writer_options o;
        o.connect_timeout = 5s;
        zerobuffer::writer responses(duplex::response_buffer_name(name), o);
        for (int i = 0; i < 10; ++i) {
            auto f = requests.read_frame(5s);
            if (!f) {
                return;
            }
            responses.write_frame(f.bytes());
        }
    });
    duplex::client c(name, small_client());
    int good = 0;
    for (std::uint64_t i = 1; i <= 10; ++i) {
        boost::system::error_code ec;
        auto f = c.request(pattern(50, i), 5s, ec);
        good += !ec && f.sequence() == i && test_data_patterns::verify_frame(f.bytes(), i);
    }
    server.join();
    BOOST_TEST(good == 10);
}

BOOST_AUTO_TEST_CASE(c9_2_order_is_kept_single_thread_and_pool)
{
    for (const auto& strategy :
         {duplex::processing::single_thread(), duplex::processing::thread_pool(4, 16)}) {
        const auto name = unique_name("dx_order");
        duplex::server s(name, small_server());
        s.start(echo, strategy);
        duplex::client c(name, small_client());
        expect_echoed_in_order(c, 2000, 64);
    }
}

BOOST_AUTO_TEST_CASE(c9_2_c9_12_pool_with_random_durations_answers_in_order_bounded)
{
    const auto name = unique_name("dx_pool_rand");
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    duplex::server s(name, small_server());
    s.start(
        [&](const duplex::request& req) {
            const int now = running.fetch_add(1) + 1;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            // 0-3 ms, from the request's sequence: later requests often finish first.
            std::this_thread::sleep_for(std::chrono::microseconds((req.sequence() * 7919) % 3000));
            running.fetch_sub(1);
            return echo(req);
        },
        duplex::processing::thread_pool(8, 12));
    duplex::client c(name, small_client());
    expect_echoed_in_order(c, 300, 32);
    BOOST_TEST(most.load() <= 12);
    BOOST_TEST(most.load() >= 2); // they did run side by side
}

BOOST_AUTO_TEST_CASE(c9_12_user_executor_runs_the_handlers)
{
    const auto name = unique_name("dx_exec");
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back([&] { io.run(); });
    }
    std::atomic<int> off_executor{0};
    {
        duplex::server s(name, small_server());
        auto strand = boost::asio::make_strand(io);
        s.start(
            [&](const duplex::request& req) {
                if (!strand.running_in_this_thread()) {
                    off_executor.fetch_add(1);
                }
                return echo(req);
            },
            duplex::processing::on(strand, 8));
        duplex::client c(name, small_client());
        expect_echoed_in_order(c, 500, 16);
        s.stop();
    }
    // The io_context's own executor, run by both threads: handlers run side
    // by side, for random durations, and the responses still come in order.
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    {
        const auto name2 = unique_name("dx_exec_io");
        duplex::server s(name2, small_server());
        s.start(
            [&](const duplex::request& req) {
                if (!io.get_executor().running_in_this_thread()) {
                    off_executor.fetch_add(1);
                }
                const int now = running.fetch_add(1) + 1;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                std::this_thread::sleep_for(
                    std::chrono::microseconds((req.sequence() * 6007) % 2000));
                running.fetch_sub(1);
                return echo(req);
            },
            duplex::processing::on(io.get_executor(), 8));
        duplex::client c(name2, small_client());
        expect_echoed_in_order(c, 200, 16);
        s.stop();
    }
    work.reset();
    for (auto& t : threads) {
        t.join();
    }
    BOOST_TEST(off_executor.load() == 0);
    BOOST_TEST(most.load() == 2); // both threads of the io_context at once
}

BOOST_AUTO_TEST_CASE(c9_3_c9_10_concurrent_client_threads_get_their_own_responses)
{
    for (const auto& strategy :
         {duplex::processing::single_thread(), duplex::processing::thread_pool(3)}) {
        const auto name = unique_name("dx_threads");
        duplex::server s(name, small_server());
        s.start(echo, strategy);
        duplex::client c(name, small_client());
        constexpr int threads = 4;
        constexpr int each = 300;
        std::atomic<int> wrong{0};
        std::atomic<int> failed{0};
        std::vector<std::thread> senders;
        for (int t = 0; t < threads; ++t) {
            senders.emplace_back([&, t] {
                for (int i = 0; i < each; ++i) {
                    const std::string body =
                        "thread " + std::to_string(t) + " request " + std::to_string(i);
                    boost::system::error_code ec;
                    auto f = c.request(body, 10s, ec);
                    if (ec || !f.valid()) {
                        failed.fetch_add(1);
                        continue;
                    }
                    const std::string got(reinterpret_cast<const char*>(f.data()), f.size());
                    if (got != body) {
                        wrong.fetch_add(1);
                    }
                }
            });
        }
        for (auto& t : senders) {
            t.join();
        }
        BOOST_TEST(failed.load() == 0);
        BOOST_TEST(wrong.load() == 0);
        BOOST_TEST(c.requests_sent() == static_cast<std::uint64_t>(threads * each));
    }
}

BOOST_AUTO_TEST_CASE(c9_6_a_slow_client_fills_the_response_ring_and_loses_nothing)
{
    for (const auto& strategy :
         {duplex::processing::single_thread(), duplex::processing::thread_pool(4)}) {
        const auto name = unique_name("dx_slow");
        duplex::server s(name, small_server(1 << 20));
        s.start(echo, strategy);
        duplex::client c(name, small_client(8 * 1024)); // a few responses fill it
        constexpr int count = 200;
        for (int i = 1; i <= count; ++i) {
            c.send_request(pattern(1000, static_cast<std::uint64_t>(i)));
        }
        std::this_thread::sleep_for(200ms); // the server waits for room meanwhile
        BOOST_TEST(s.counters().requests_handled < static_cast<std::uint64_t>(count));
        int good = 0;
        for (int i = 1; i <= count; ++i) {
            auto f = c.receive_response(5s);
            BOOST_TEST_REQUIRE(f.valid());
            good += f.sequence() == static_cast<std::uint64_t>(i) &&
                    test_data_patterns::verify_frame(f.bytes(), f.sequence());
        }
        BOOST_TEST(good == count);
        s.stop();
        BOOST_TEST(s.counters().requests_dropped == 0u);
        BOOST_TEST(s.counters().requests_handled == static_cast<std::uint64_t>(count));
    }
}

BOOST_AUTO_TEST_CASE(c9_7_zero_copy_requests)
{
    const auto name = unique_name("dx_zc");
    duplex::server s(name, small_server());
    s.start(echo);
    duplex::client c(name, small_client());
    for (std::uint64_t i = 1; i <= 3; ++i) {
        auto area = c.get_request_buffer(500);
        BOOST_TEST_REQUIRE(area.size() == 500u);
        test_data_patterns::fill_frame(area, i);
        BOOST_TEST(c.commit_request() == i);
        auto f = c.receive_response(5s);
        BOOST_TEST(f.sequence() == i);
        BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), i));
    }
    boost::system::error_code ec;
    c.commit_request(ec);
    BOOST_TEST(ec == errc::invalid_state); // nothing reserved
}

BOOST_AUTO_TEST_CASE(c9_8_in_place_handlers_write_into_the_response_ring)
{
    for (const auto& strategy :
         {duplex::processing::single_thread(), duplex::processing::thread_pool(4, 8)}) {
        const auto name = unique_name("dx_inplace");
        duplex::server s(name, small_server());
        s.start(
            [](const duplex::request& req, duplex::response_sink& sink) {
                if (req.sequence() % 2 == 0) {
                    auto out = sink.get_buffer(req.size());
                    std::copy(req.bytes().begin(), req.bytes().end(), out.begin());
                    sink.commit();
                } else {
                    sink.write(req.bytes());
                }
            },
            strategy);
        duplex::client c(name, small_client());
        expect_echoed_in_order(c, 1000, 32);
        s.stop();
        BOOST_TEST(s.counters().requests_handled == 1000u);
    }
}

BOOST_AUTO_TEST_CASE(c9_8_returning_handlers_of_several_types)
{
    const auto name = unique_name("dx_types");
    duplex::server s(name, small_server());
    s.start([](const duplex::request& req) {
        return std::string("got ") + std::to_string(req.size());
    });
    duplex::client c(name, small_client());
    auto f = c.request(std::string("hello"), 5s);
    BOOST_TEST(std::string(reinterpret_cast<const char*>(f.data()), f.size()) == "got 5");
    f.release();
    s.stop();
    BOOST_TEST(!s.is_running());
    // An empty response is a failure too.
    duplex::server empty(unique_name("dx_empty"), small_server());
    empty.start([](const duplex::request&) { return std::string(); });
    duplex::client ce(empty.name(), small_client());
    boost::system::error_code ec;
    auto e = ce.request(std::string("x"), 5s, ec);
    BOOST_TEST(ec == errc::handler_failed);
    BOOST_TEST(e.sequence() == 1u);
}

BOOST_AUTO_TEST_CASE(c9_9_closing_the_channel_removes_everything)
{
    const auto name = unique_name("dx_close");
    {
        duplex::server s(name, small_server());
        s.start(echo);
        duplex::client c(name, small_client());
        c.request(pattern(10, 1), 5s);
        // Two segments, four semaphores, two lock files, and the two
        // writers' liveness beacons.
        BOOST_TEST(channel_resources(name).size() == 10u);
        c.close();
        s.stop();
    }
    const auto left = channel_resources(name);
    BOOST_TEST(left.empty(), "left behind: " << left.size());
}

BOOST_AUTO_TEST_CASE(c9_11_successive_clients_are_served_by_one_server_run)
{
    const auto name = unique_name("dx_clients");
    duplex::server s(name, small_server());
    s.start(echo, duplex::processing::thread_pool(2));
    for (int round = 0; round < 3; ++round) {
        duplex::client c(name, small_client());
        expect_echoed_in_order(c, 100, 8);
    }
    s.stop();
    BOOST_TEST(s.counters().clients_served == 3u);
    BOOST_TEST(s.counters().requests_handled == 300u);
}

BOOST_AUTO_TEST_CASE(stop_finishes_what_is_in_flight_and_the_server_starts_again)
{
    const auto name = unique_name("dx_stop");
    duplex::server s(name, small_server());
    std::atomic<int> started{0};
    s.start(
        [&](const duplex::request& req) {
            started.fetch_add(1);
            std::this_thread::sleep_for(50ms);
            return echo(req);
        },
        duplex::processing::thread_pool(4, 4));
    duplex::client c(name, small_client());
    for (std::uint64_t i = 1; i <= 4; ++i) {
        c.send_request(pattern(32, i));
    }
    BOOST_TEST(zerobuffer::test::eventually([&] { return started.load() == 4; }));
    s.stop(); // the four in flight are answered first
    for (std::uint64_t i = 1; i <= 4; ++i) {
        auto f = c.receive_response(5s);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == i);
    }
    boost::system::error_code ec;
    c.receive_response(2s, ec);
    BOOST_TEST((ec == errc::server_stopped || ec == errc::server_dead));
    c.close();
    s.start(echo); // a new request buffer, for new clients
    duplex::client next(name, small_client());
    BOOST_TEST(next.request(pattern(32, 1), 5s).sequence() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
