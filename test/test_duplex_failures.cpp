// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/duplex when things go wrong, in one process: failing handlers,
// a reference client reading error responses, a request that times out, a
// client closed while it waits, a corrupted request ring, bad strategies,
// zero-copy misuse. CONFORMANCE 9.8, 9.10, 9.11.

#define BOOST_TEST_MODULE duplex_failures
#include <boost/test/unit_test.hpp>

#include "support/duplex.hpp"
#include "support/naming.hpp"
#include "support/raw_segment.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
namespace duplex = zerobuffer::duplex;
using zerobuffer::errc;
using zerobuffer::test::channel_resources;
using zerobuffer::test::echo;
using zerobuffer::test::eventually;
using zerobuffer::test::pattern;
using zerobuffer::test::small_client;
using zerobuffer::test::small_server;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

BOOST_AUTO_TEST_SUITE(duplex_failures)

BOOST_AUTO_TEST_CASE(c9_8_a_failing_handler_gets_an_error_response_and_the_channel_stays_in_step)
{
    // By the request's sequence mod 5: 1 throws, 2 throws after reserving its
    // response, 3 gives no response, 4 answers with more than the response
    // ring holds, 0 echoes. Every request still gets exactly one response.
    for (const auto& strategy :
         {duplex::processing::single_thread(), duplex::processing::thread_pool(4, 8)}) {
        const auto name = unique_name("dx_throw");
        duplex::server s(name, small_server());
        s.start(
            [](const duplex::request& req, duplex::response_sink& sink) {
                switch (req.sequence() % 5) {
                case 1: throw std::runtime_error("boom " + std::to_string(req.sequence()));
                case 2: sink.get_buffer(100); throw std::runtime_error("late boom");
                case 3: return;
                case 4: sink.write(std::vector<std::byte>(20000)); return;
                default: sink.write(req.bytes());
                }
            },
            strategy);
        duplex::client c(name, small_client(8 * 1024));
        constexpr std::uint64_t count = 50;
        // Pipelined: under the pool, failures then complete before their
        // turn and their error responses are parked like any response.
        for (std::uint64_t i = 1; i <= count; ++i) {
            c.send_request(pattern(64, i));
        }
        int as_expected = 0;
        for (std::uint64_t i = 1; i <= count; ++i) {
            boost::system::error_code ec;
            auto f = c.receive_response(5s, ec);
            BOOST_TEST_REQUIRE(f.valid());
            BOOST_TEST_REQUIRE(f.sequence() == i);
            const auto text = duplex::error_response_text(f);
            const int before = as_expected;
            switch (i % 5) {
            case 0: as_expected += !ec && test_data_patterns::verify_frame(f.bytes(), i); break;
            case 1:
                as_expected += ec == errc::handler_failed && text == "boom " + std::to_string(i);
                break;
            case 2: as_expected += ec == errc::handler_failed && text == "late boom"; break;
            case 3:
                as_expected += ec == errc::handler_failed && text.find("no response") != text.npos;
                break;
            default:
                as_expected += ec == errc::handler_failed && text.find("too large") != text.npos;
            }
            BOOST_TEST_INFO_SCOPE("request " << i << ": " << ec.message() << ", '" << text << "'");
            BOOST_TEST(as_expected == before + 1);
        }
        BOOST_TEST(as_expected == static_cast<int>(count));
        // The throwing form throws the typed error, with the server's text.
        c.send_request(pattern(64, count + 1)); // 51 % 5 == 1: throws
        try {
            c.receive_response(5s);
            BOOST_TEST(false, "no exception");
        } catch (const zerobuffer::handler_failed& e) {
            BOOST_TEST(std::string(e.what()).find("boom 51") != std::string::npos);
        }
        // And the channel goes on in step: 52-54 fail, 55 echoes.
        for (std::uint64_t i = count + 2; i <= count + 5; ++i) {
            boost::system::error_code ec;
            auto f = c.request(pattern(64, i), 5s, ec);
            BOOST_TEST(f.sequence() == i);
            BOOST_TEST((ec == errc::handler_failed) == (i != count + 5));
        }
        s.stop();
        const auto counters = s.counters();
        BOOST_TEST(counters.handler_errors == 44u);
        BOOST_TEST(counters.requests_handled == 11u);
    }
}

BOOST_AUTO_TEST_CASE(c9_8_a_reference_client_sees_an_error_response_as_a_response_in_step)
{
    const auto name = unique_name("dx_referr");
    duplex::server s(name, small_server());
    s.start([](const duplex::request& req) {
        if (req.sequence() == 2) {
            throw std::runtime_error("no");
        }
        return echo(req);
    });
    zerobuffer::buffer_config config;
    config.payload_size = 64 * 1024;
    zerobuffer::reader responses(duplex::response_buffer_name(name), config);
    zerobuffer::writer requests(duplex::request_buffer_name(name));
    for (std::uint64_t i = 1; i <= 3; ++i) {
        requests.write_frame(pattern(40, i));
    }
    for (std::uint64_t i = 1; i <= 3; ++i) {
        auto f = responses.read_frame(5s); // no exception: an ordinary frame
        BOOST_TEST(f.sequence() == i);
        BOOST_TEST(duplex::is_error_response(f.bytes()) == (i == 2));
    }
}

BOOST_AUTO_TEST_CASE(c9_10_a_request_that_times_out_releases_its_late_response)
{
    const auto name = unique_name("dxf_late");
    duplex::server s(name, small_server());
    s.start([](const duplex::request& req) {
        if (req.sequence() == 1) {
            std::this_thread::sleep_for(300ms);
        }
        return echo(req);
    });
    duplex::client c(name, small_client());
    boost::system::error_code ec;
    auto late = c.request(pattern(32, 1), 50ms, ec);
    BOOST_TEST(ec == errc::timed_out);
    BOOST_TEST(!late.valid());
    // The next request's response comes after the late one, which nobody
    // waits for any more: it is released unread, and this one matched.
    auto next = c.request(pattern(32, 2), 5s, ec);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(next.sequence() == 2u);
    BOOST_TEST(test_data_patterns::verify_frame(next.bytes(), 2));
}

BOOST_AUTO_TEST_CASE(close_from_another_thread_ends_a_waiting_request)
{
    const auto name = unique_name("dxf_close");
    duplex::server s(name, small_server());
    s.start([](const duplex::request& req) {
        std::this_thread::sleep_for(2s);
        return echo(req);
    });
    duplex::client c(name, small_client());
    std::thread closer([&] {
        std::this_thread::sleep_for(100ms);
        c.close();
    });
    const auto start = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    c.request(pattern(32, 1), 30s, ec);
    const auto waited = std::chrono::steady_clock::now() - start;
    closer.join();
    BOOST_TEST((ec == zerobuffer::operation_aborted_code() || ec == errc::invalid_state),
               ec.message());
    BOOST_TEST((waited < 1500ms)); // not the handler's 2 s, nor the 30 s
    BOOST_TEST(!c.is_open());
}

BOOST_AUTO_TEST_CASE(c9_11_a_corrupted_request_ring_is_replaced_and_the_next_client_served)
{
    const auto name = unique_name("dxf_corrupt");
    std::atomic<bool> release{false};
    duplex::server s(name, small_server());
    s.start([&](const duplex::request& req) {
        while (req.sequence() == 1 && !release.load()) {
            std::this_thread::sleep_for(1ms);
        }
        return echo(req);
    });
    {
        duplex::client c(name, small_client());
        c.send_request(pattern(100, 1)); // held by the handler meanwhile
        c.send_request(pattern(100, 2));
        // Request 2's header follows request 1 (16 + 100 bytes) in the ring
        // after the OIEB and the 4096-byte metadata block: a size far
        // beyond the ring makes it corrupt.
        zerobuffer::test::raw_segment raw(duplex::request_buffer_name(name));
        raw.put_u64(128 + 4096 + 116, std::uint64_t{1} << 40);
        release.store(true);
        auto first = c.receive_response(5s);
        BOOST_TEST(first.sequence() == 1u);
    }
    // The server made a fresh request buffer: the next client is served. (A
    // client that attached before the server found the corruption would be
    // attached to the old buffer, which the server then removes.)
    BOOST_TEST(eventually([&] { return s.counters().request_buffers_renewed == 1u; }));
    BOOST_TEST(eventually([&] { return !s.is_client_connected(); }));
    duplex::client next(name, small_client());
    auto f = next.request(pattern(64, 1), 5s);
    BOOST_TEST(f.sequence() == 1u);
    BOOST_TEST(test_data_patterns::verify_frame(f.bytes(), 1));
    BOOST_TEST(s.is_running());
}

BOOST_AUTO_TEST_CASE(strategies_that_cannot_run_are_refused)
{
    BOOST_CHECK_THROW(duplex::processing::thread_pool(0), std::invalid_argument);
    boost::asio::io_context io;
    BOOST_CHECK_THROW(duplex::processing::on(io.get_executor(), 0), std::invalid_argument);
    BOOST_CHECK_THROW(duplex::processing::on(boost::asio::any_io_executor()),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(an_executor_that_drops_its_work_gets_error_responses_not_a_hang)
{
    const auto name = unique_name("dxf_dropped");
    auto io = std::make_unique<boost::asio::io_context>();
    duplex::server s(name, small_server());
    s.start(echo, duplex::processing::on(io->get_executor(), 4)); // never run
    duplex::client c(name, small_client());
    for (std::uint64_t i = 1; i <= 3; ++i) {
        c.send_request(pattern(16, i));
    }
    std::this_thread::sleep_for(100ms); // posted to the idle io_context
    io.reset();                         // destroys the three unrun
    for (std::uint64_t i = 1; i <= 3; ++i) {
        boost::system::error_code ec;
        auto f = c.receive_response(5s, ec);
        BOOST_TEST_REQUIRE(f.valid());
        BOOST_TEST(f.sequence() == i);
        BOOST_TEST(ec == errc::handler_failed);
    }
    c.close();
    s.stop(); // no hang: every admitted request was answered
}

BOOST_AUTO_TEST_CASE(c9_7_zero_copy_misuse_is_invalid_state_and_abandon_sends_nothing)
{
    const auto name = unique_name("dxf_zc");
    duplex::server s(name, small_server());
    s.start(echo);
    duplex::client c(name, small_client());
    boost::system::error_code ec;
    c.commit_request(ec);
    BOOST_TEST(ec == errc::invalid_state); // nothing reserved
    auto area = c.get_request_buffer(64);
    BOOST_TEST(area.size() == 64u);
    c.get_request_buffer(64, ec);
    BOOST_TEST(ec == errc::invalid_state); // this thread holds one already
    c.abandon_request();                   // nothing sent, the sending side free
    BOOST_TEST(c.send_request(pattern(20, 1)) == 1u);
    auto f = c.receive_response(5s);
    BOOST_TEST(f.sequence() == 1u);
    BOOST_TEST(f.size() == 20u);
}

BOOST_AUTO_TEST_CASE(c9_6_a_deep_pipeline_with_try_send_and_a_zero_timeout_read)
{
    // Small rings both ways: the client sends with try_send_request and,
    // when the request ring is full, reads what is there (timeout 0), so
    // neither side waits for the other.
    const auto name = unique_name("dxf_deep");
    duplex::server s(name, small_server(8 * 1024));
    s.start(echo, duplex::processing::thread_pool(2));
    duplex::client c(name, small_client(8 * 1024));
    constexpr std::uint64_t count = 2000;
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    int good = 0;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (received < count && std::chrono::steady_clock::now() < deadline) {
        while (sent < count && c.try_send_request(pattern(500, sent + 1)) != 0) {
            ++sent;
        }
        while (auto f = c.receive_response(0s)) {
            ++received;
            good +=
                f.sequence() == received && test_data_patterns::verify_frame(f.bytes(), received);
        }
    }
    BOOST_TEST(received == count);
    BOOST_TEST(good == static_cast<int>(count));
}

BOOST_AUTO_TEST_CASE(c9_9_nothing_is_left_after_a_channel_with_many_requests)
{
    const auto name = unique_name("dxf_left");
    {
        duplex::server s(name, small_server());
        s.start(echo, duplex::processing::thread_pool(2));
        duplex::client c(name, small_client());
        for (std::uint64_t i = 1; i <= 50; ++i) {
            c.request(pattern(100, i), 5s);
        }
    }
    const auto left = channel_resources(name);
    BOOST_TEST(left.empty(), left.size() << " left, the first " << (left.empty() ? "" : left[0]));
}

BOOST_AUTO_TEST_SUITE_END()
