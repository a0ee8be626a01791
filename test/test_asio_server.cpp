// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// asio::basic_server (CONFORMANCE 9.2 and 10.1 for asynchronous handlers): a
// coroutine handler that awaits a timer and a completion handler that answers
// from another thread, both answered in request order whatever order they
// finish in; a coroutine that throws gets an error response; the client is
// the asynchronous one, on the same io_context.

#define BOOST_TEST_MODULE asio_server
#include <boost/test/unit_test.hpp>

#include "support/duplex.hpp"
#include "support/naming.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/duplex.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace zb = zerobuffer;
namespace duplex = zerobuffer::duplex;
using namespace std::chrono_literals;
using boost::system::error_code;
using zb::errc;
using zb::test::channel_resources;
using zb::test::small_client;
using zb::test::small_server;
using zb::test::unique_name;

namespace {

std::string text_of(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// What each request got: its error and its response's text and sequence.
struct outcome {
    error_code ec;
    std::string text;
    std::uint64_t sequence = 0;
};

// Sends `count` requests "request N" at once over an asynchronous client of
// `name` on `ctx` (run by two threads until all are answered).
std::vector<outcome> request_all(net::io_context& ctx, const std::string& name, int count)
{
    zb::asio::client c(ctx, name, small_client());
    std::vector<std::string> texts;
    for (int i = 1; i <= count; ++i)
        texts.push_back("request " + std::to_string(i));
    std::vector<outcome> got(static_cast<std::size_t>(count));
    std::atomic<int> done{0};
    for (int i = 0; i < count; ++i) {
        c.async_request(std::as_bytes(std::span(texts[static_cast<std::size_t>(i)])),
                        [&, i](error_code ec, zb::frame f) {
                            auto& o = got[static_cast<std::size_t>(i)];
                            o.ec = ec;
                            if (f.valid()) {
                                o.text = ec == errc::handler_failed
                                             ? std::string(duplex::error_response_text(f.bytes()))
                                             : text_of(f.bytes());
                                o.sequence = f.sequence();
                            }
                            ++done;
                        });
    }
    auto guard = net::make_work_guard(ctx);
    ctx.restart();
    std::thread second([&] { ctx.run(); });
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (done.load() < count && std::chrono::steady_clock::now() < give_up)
        ctx.run_for(10ms);
    guard.reset();
    ctx.stop();
    second.join();
    return got;
}

} // namespace

// A coroutine handler awaits a timer that makes later requests finish first:
// the responses still come in request order, each to its own request.
BOOST_AUTO_TEST_CASE(conformance_9_2_coroutine_handlers_are_answered_in_request_order)
{
    const auto name = unique_name("axs-coro");
    net::io_context ctx;
    std::atomic<int> concurrent{0};
    std::atomic<int> most{0};
    {
        zb::asio::server s(ctx, name, small_server());
        s.start([&](const duplex::request& req) -> net::awaitable<std::string> {
            const int now = ++concurrent;
            for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
            }
            std::string text = "echo " + text_of(req.bytes());
            net::steady_timer timer(co_await net::this_coro::executor,
                                    std::chrono::milliseconds(40 - 2 * (req.sequence() % 20)));
            co_await timer.async_wait(net::use_awaitable);
            --concurrent;
            co_return text;
        });
        const auto got = request_all(ctx, name, 30);
        for (std::size_t i = 0; i < got.size(); ++i) {
            BOOST_TEST_CONTEXT("request " << i + 1)
            {
                BOOST_TEST(!got[i].ec, got[i].ec.message());
                BOOST_TEST(got[i].text == "echo request " + std::to_string(i + 1));
                BOOST_TEST(got[i].sequence == i + 1);
            }
        }
        BOOST_TEST(most.load() > 1);   // they did overlap
        BOOST_TEST(most.load() <= 16); // max_pending
        BOOST_TEST(s.get().counters().requests_handled == 30u);
        std::thread stopper([&] { s.stop(); });
        ctx.restart();
        ctx.run_for(100ms);
        stopper.join();
    }
    BOOST_TEST(channel_resources(name).empty());
}

// A coroutine that throws is answered with an error response carrying its
// what(); the next requests are answered as usual.
BOOST_AUTO_TEST_CASE(a_coroutine_that_throws_gets_an_error_response)
{
    const auto name = unique_name("axs-throw");
    net::io_context ctx;
    zb::asio::server s(ctx, name, small_server());
    s.start([](const duplex::request& req) -> net::awaitable<std::vector<std::byte>> {
        co_await net::post(co_await net::this_coro::executor, net::use_awaitable);
        if (req.sequence() == 2)
            throw std::runtime_error("cannot answer two");
        co_return std::vector<std::byte>(req.bytes().begin(), req.bytes().end());
    });
    const auto got = request_all(ctx, name, 3);
    BOOST_TEST(!got[0].ec);
    BOOST_TEST(got[0].text == "request 1");
    BOOST_TEST(got[1].ec == errc::handler_failed, got[1].ec.message());
    BOOST_TEST(got[1].text.find("cannot answer two") != std::string::npos, got[1].text);
    BOOST_TEST(!got[2].ec);
    BOOST_TEST(got[2].text == "request 3");
    BOOST_TEST(s.get().counters().handler_errors == 1u);
    std::thread stopper([&] { s.stop(); });
    stopper.join();
}

// A completion handler runs on the server's executor and answers later from
// a pool, the last requests first: the responses come in request order.
BOOST_AUTO_TEST_CASE(completion_handlers_answer_from_another_thread_in_request_order)
{
    const auto name = unique_name("axs-pending");
    net::io_context ctx;
    net::thread_pool pool(2);
    std::mutex held_mutex;
    std::vector<duplex::pending_request> held;
    std::atomic<bool> on_executor{true};
    zb::asio::server s(ctx, name, small_server());
    s.start(
        [&](duplex::pending_request p) {
            if (!ctx.get_executor().running_in_this_thread())
                on_executor = false;
            const std::lock_guard lock(held_mutex);
            held.push_back(std::move(p));
            if (held.size() == 4) {
                // All four taken: answer them from the pool, the last first.
                for (auto it = held.rbegin(); it != held.rend(); ++it) {
                    net::post(pool, [q = std::move(*it)]() mutable {
                        q.respond("answer " + text_of(q.bytes()));
                    });
                }
                held.clear();
            }
        },
        4);
    const auto got = request_all(ctx, name, 4);
    for (std::size_t i = 0; i < got.size(); ++i) {
        BOOST_TEST(!got[i].ec, got[i].ec.message());
        BOOST_TEST(got[i].text == "answer request " + std::to_string(i + 1));
        BOOST_TEST(got[i].sequence == i + 1);
    }
    BOOST_TEST(on_executor.load());
    pool.join();
    s.stop();
}
