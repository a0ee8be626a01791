// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// The asynchronous duplex client, asio::basic_client (CONFORMANCE section
// 10): completion tokens, many requests outstanding each completed with its
// own response, cancellation of outstanding and queued requests, destruction,
// error responses and a SIGKILLed server as error codes, and concurrency.
//
// Servers that are killed run in forked children, forked while this process
// runs no thread of its own.

#define BOOST_TEST_MODULE asio_duplex
#include <boost/test/unit_test.hpp>

#include "support/asio.hpp"
#include "support/duplex.hpp"
#include "support/duplex_processes.hpp"
#include "support/listing.hpp"
#include "support/naming.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/duplex.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/experimental/promise.hpp>
#include <boost/asio/experimental/use_promise.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>
#include <sys/wait.h>

namespace net = boost::asio;
namespace zb = zerobuffer;
namespace duplex = zerobuffer::duplex;
using namespace std::chrono_literals;
using boost::system::error_code;
using zb::errc;
using zb::test::channel_resources;
using zb::test::echo;
using zb::test::kill_and_reap;
using zb::test::listed;
using zb::test::pattern;
using zb::test::run_until;
using zb::test::small_client;
using zb::test::small_server;
using zb::test::stuck_server_process;
using zb::test::unique_name;
using zb::testing::test_data_patterns;

namespace {

// Whether `f` is the echo of the request `pattern(size, seq)`.
bool echoes(const zb::frame& f, std::uint64_t seq)
{
    return f.valid() && f.sequence() == seq && test_data_patterns::verify_frame(f.bytes(), seq);
}

// An echo server with a request ring of `ring` bytes whose handler holds
// request `held` (every request when 0) until `release`.
struct gated_server {
    gated_server(const std::string& name, std::size_t ring, std::uint64_t held)
        : server(name, small_server(ring))
    {
        server.start([this, held](const duplex::request& req) {
            while ((held == 0 || req.sequence() == held) && !release.load())
                std::this_thread::sleep_for(1ms);
            return echo(req);
        });
    }
    std::atomic<bool> release{false};
    duplex::server server;
};

// A server in a child process that creates its request buffer, answers
// nothing and lives 60 s (killed by the test).
pid_t silent_server_process(const std::string& name)
{
    return zb::test::fork_child([name] {
        zb::reader requests(duplex::request_buffer_name(name), small_server().request);
        std::this_thread::sleep_for(60s);
        return 0;
    });
}

} // namespace

// 10.1 Each completion token kind completes an async_request.
BOOST_AUTO_TEST_CASE(conformance_10_1_async_request_with_every_token_kind)
{
    const auto name = unique_name("axd-tokens");
    duplex::server s(name, small_server());
    s.start(echo);
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());

    // callback
    const auto one = pattern(100, 1);
    std::optional<bool> ok;
    c.async_request(one, [&](error_code ec, zb::frame f) { ok = !ec && echoes(f, 1); });
    BOOST_TEST(run_until(ctx, [&] { return ok.has_value(); }));
    BOOST_TEST(*ok);

    // use_future, the context on another thread
    {
        auto guard = net::make_work_guard(ctx);
        ctx.restart();
        std::thread runner([&] { ctx.run(); });
        const auto two = pattern(100, 2);
        auto response = c.async_request(two, net::use_future);
        const zb::frame f = response.get();
        const bool echoed = echoes(f, 2);
        guard.reset();
        runner.join();
        BOOST_TEST(echoed);
    }

    // use_awaitable, then as_tuple in the same coroutine
    ok.reset();
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            const auto three = pattern(100, 3);
            const zb::frame f3 = co_await c.async_request(three, net::use_awaitable);
            const auto four = pattern(100, 4);
            auto [ec, f4] = co_await c.async_request(four, net::as_tuple(net::use_awaitable));
            ok = echoes(f3, 3) && !ec && echoes(f4, 4);
        },
        net::detached);
    BOOST_TEST(run_until(ctx, [&] { return ok.has_value(); }));
    BOOST_TEST(*ok);

    // use_promise: started at once, its result taken later
    ok.reset();
    const auto five = pattern(100, 5);
    auto promise = c.async_request(five, net::experimental::use_promise);
    // Taken once complete: Asio 1.81's promise hands a callback attached
    // before completion the moved-from values (frame empty).
    BOOST_TEST(run_until(ctx, [&] { return promise.completed(); }));
    promise(net::bind_executor(ctx, [&](error_code ec, zb::frame f) {
        ok = !ec && echoes(f, 5);
    })); // else on the promise's executor, the system one
    BOOST_TEST(run_until(ctx, [&] { return ok.has_value(); }));
    BOOST_TEST(*ok);

    // deferred, launched later
    ok.reset();
    const auto six = pattern(100, 6);
    auto deferred = c.async_request(six, net::deferred);
    BOOST_TEST(c.requests_sent() == 5u); // nothing is sent before it is launched
    std::move(deferred)([&](error_code ec, zb::frame f) { ok = !ec && echoes(f, 6); });
    BOOST_TEST(run_until(ctx, [&] { return ok.has_value(); }));
    BOOST_TEST(*ok);
}

// 10.2 A request answered at once still completes through the executor.
BOOST_AUTO_TEST_CASE(conformance_10_2_a_request_never_completes_inside_the_call)
{
    const auto name = unique_name("axd-inline");
    duplex::server s(name, small_server());
    s.start(echo);
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());
    const auto data = pattern(64, 1);
    bool done = false;
    bool inside = true;
    c.async_request(data, [&](error_code ec, zb::frame f) {
        done = !ec && echoes(f, 1);
        BOOST_TEST(!inside);
    });
    std::this_thread::sleep_for(50ms); // the response is in the ring by now
    inside = false;
    BOOST_TEST(!done);
    BOOST_TEST(run_until(ctx, [&] { return done; }));
}

// Many requests outstanding at once, more than the request ring holds, from
// a server whose handlers run concurrently: each completes with its own
// response, in any order of completion.
BOOST_AUTO_TEST_CASE(many_outstanding_requests_each_get_their_own_response)
{
    const auto name = unique_name("axd-many");
    auto server_options = small_server(16 * 1024); // about 15 requests of 1000 bytes
    duplex::server s(name, server_options);
    s.start(echo, duplex::processing::thread_pool(2));
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());

    constexpr std::uint64_t count = 200;
    std::vector<std::vector<std::byte>> requests;
    for (std::uint64_t i = 1; i <= count; ++i)
        requests.push_back(pattern(1000, i));
    std::size_t completed = 0;
    std::size_t good = 0;
    for (std::uint64_t i = 1; i <= count; ++i) {
        c.async_request(requests[i - 1], [&, i](error_code ec, zb::frame f) {
            ++completed;
            good += !ec && echoes(f, i);
        });
    }
    BOOST_TEST(c.requests_sent() < count); // the ring is full: the rest wait their turn
    BOOST_TEST(run_until(ctx, [&] { return completed == count; }));
    BOOST_TEST(good == count);
    BOOST_TEST(c.requests_sent() == count);
}

// A handler that fails: handler_failed with the error response, and the
// channel stays in step.
BOOST_AUTO_TEST_CASE(a_failed_handler_is_handler_failed_with_the_error_response)
{
    const auto name = unique_name("axd-fail");
    duplex::server s(name, small_server());
    s.start([](const duplex::request& req) {
        if (req.sequence() == 2)
            throw std::runtime_error("no second request");
        return echo(req);
    });
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());
    std::vector<std::vector<std::byte>> data{pattern(80, 1), pattern(80, 2), pattern(80, 3)};
    std::map<std::uint64_t, std::pair<error_code, std::string>> results;
    for (std::uint64_t i = 1; i <= 3; ++i) {
        c.async_request(data[i - 1], [&, i](error_code ec, zb::frame f) {
            std::string what = f.valid() && ec == errc::handler_failed
                                   ? std::string(duplex::error_response_text(f.bytes()))
                                   : std::string(echoes(f, i) ? "echo" : "wrong");
            results[i] = {ec, what};
        });
    }
    BOOST_TEST(run_until(ctx, [&] { return results.size() == 3; }));
    BOOST_TEST(!results[1].first);
    BOOST_TEST(results[1].second == "echo");
    BOOST_TEST(results[2].first == errc::handler_failed, results[2].first.message());
    BOOST_TEST(results[2].second.find("no second request") != std::string::npos, results[2].second);
    BOOST_TEST(!results[3].first);
    BOOST_TEST(results[3].second == "echo");
}

// 10.3 An outstanding request cancelled by its slot, by cancel() and by a
// timer race completes with operation_aborted at once; its response is
// dropped when it comes, and the next request gets its own.
BOOST_AUTO_TEST_CASE(conformance_10_3_cancelling_an_outstanding_request)
{
    const auto name = unique_name("axd-cancel");
    gated_server gate(name, 256 * 1024, 1);
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());
    const auto data = pattern(64, 1);

    // By slot (terminal): request 1 is held by the server.
    net::cancellation_signal signal;
    std::optional<error_code> first;
    c.async_request(data,
                    net::bind_cancellation_slot(signal.slot(), [&](error_code ec, zb::frame f) {
                        first = ec;
                        BOOST_TEST(!f.valid());
                    }));
    ctx.restart();
    ctx.run_for(50ms);
    BOOST_TEST(!first.has_value());
    // A total cancellation cannot end a request already sent: it stays.
    signal.emit(net::cancellation_type::total);
    ctx.restart();
    ctx.run_for(20ms);
    BOOST_TEST(!first.has_value());
    signal.emit(net::cancellation_type::terminal);
    BOOST_TEST(run_until(ctx, [&] { return first.has_value(); }));
    BOOST_TEST((*first == zb::operation_aborted_code()), first->message());

    // By cancel(): request 2 waits behind the held request 1.
    const auto data2 = pattern(64, 2);
    std::optional<error_code> second;
    c.async_request(data2, [&](error_code ec, zb::frame) { second = ec; });
    ctx.restart();
    ctx.run_for(20ms);
    c.cancel();
    BOOST_TEST(run_until(ctx, [&] { return second.has_value(); }));
    BOOST_TEST((*second == zb::operation_aborted_code()), second->message());

    // By a timer race in a coroutine: request 3 loses to a 30 ms timer.
    std::optional<std::size_t> winner;
    const auto data3 = pattern(64, 3);
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            net::steady_timer timer(ctx, 30ms);
            auto [order, request_ec, response, timer_ec] =
                co_await net::experimental::make_parallel_group(
                    c.async_request(data3, net::deferred), timer.async_wait(net::deferred))
                    .async_wait(net::experimental::wait_for_one(), net::use_awaitable);
            winner = order[0];
            BOOST_TEST((request_ec == zb::operation_aborted_code()));
            BOOST_TEST(!response.valid());
            BOOST_TEST(!timer_ec);
        },
        net::detached);
    BOOST_TEST(run_until(ctx, [&] { return winner.has_value(); }));
    BOOST_TEST(*winner == 1u); // the timer

    // The server answers 1, 2, 3 now; the client drops them and request 4
    // gets its own response: the channel is in step.
    gate.release.store(true);
    const auto data4 = pattern(64, 4);
    std::optional<bool> fourth;
    c.async_request(data4, [&](error_code ec, zb::frame f) { fourth = !ec && echoes(f, 4); });
    BOOST_TEST(run_until(ctx, [&] { return fourth.has_value(); }));
    BOOST_TEST(*fourth);
    BOOST_TEST(c.requests_sent() == 4u);
}

// 10.3 A request not yet written (the request ring is full) is removed by
// any kind of cancellation: nothing is sent for it.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_cancelled_queued_request_sends_nothing)
{
    const auto name = unique_name("axd-queued");
    gated_server gate(name, 8 * 1024, 0);
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());
    std::vector<std::vector<std::byte>> data;
    for (std::uint64_t i = 1; i <= 20; ++i)
        data.push_back(pattern(1000, i));
    std::vector<std::optional<error_code>> results(20);
    std::vector<net::cancellation_signal> signals(20);
    std::vector<zb::frame> responses(20);
    for (std::size_t i = 0; i < 20; ++i) {
        c.async_request(data[i], net::bind_cancellation_slot(signals[i].slot(),
                                                             [&, i](error_code ec, zb::frame f) {
                                                                 results[i] = ec;
                                                                 responses[i] = std::move(f);
                                                             }));
    }
    ctx.restart();
    ctx.run_for(50ms);
    const auto sent = c.requests_sent();
    BOOST_TEST(sent < 18u); // 8 KiB holds 7 or 8 of them; the rest are queued
    signals[19].emit(net::cancellation_type::total); // the last: queued
    BOOST_TEST(run_until(ctx, [&] { return results[19].has_value(); }));
    BOOST_TEST((*results[19] == zb::operation_aborted_code()));
    // The next one is waiting for room (writing): a partial cancellation
    // ends its reservation, nothing is committed.
    signals[sent].emit(net::cancellation_type::partial);
    BOOST_TEST(run_until(ctx, [&] { return results[sent].has_value(); }));
    BOOST_TEST((*results[sent] == zb::operation_aborted_code()), results[sent]->message());
    gate.release.store(true);
    BOOST_TEST(run_until(ctx, [&] {
        return std::all_of(results.begin(), results.end(), [](auto& r) { return r.has_value(); });
    }));
    for (std::size_t i = 0; i < 19; ++i) {
        if (i == sent)
            continue;
        // Each one that was not cancelled got its own response (the echo of
        // its pattern), numbered as sent: after the cancelled one, one less.
        const std::uint64_t sequence = i < sent ? i + 1 : i;
        BOOST_TEST_CONTEXT("request " << i + 1)
        {
            BOOST_TEST(!*results[i], results[i]->message());
            BOOST_TEST(responses[i].sequence() == sequence);
            BOOST_TEST(test_data_patterns::verify_frame(responses[i].bytes(), i + 1));
        }
    }
    responses.clear();
    BOOST_TEST(c.requests_sent() == 18u); // the two cancelled ones were never written
}

// 10.3 cancel() ends every request: the sent ones, the one waiting for room
// and the queued ones; the channel stays in step.
BOOST_AUTO_TEST_CASE(conformance_10_3_cancel_ends_sent_writing_and_queued_requests)
{
    const auto name = unique_name("axd-cancel-all");
    gated_server gate(name, 8 * 1024, 0);
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());
    const auto data = pattern(1000, 1);
    std::vector<std::optional<error_code>> results(20);
    for (std::size_t i = 0; i < 20; ++i)
        c.async_request(data, [&, i](error_code ec, zb::frame) { results[i] = ec; });
    ctx.restart();
    ctx.run_for(50ms);
    const auto sent = c.requests_sent();
    BOOST_TEST(sent < 18u);
    c.cancel();
    BOOST_TEST(run_until(ctx, [&] {
        return std::all_of(results.begin(), results.end(), [](auto& r) { return r.has_value(); });
    }));
    for (const auto& r : results)
        BOOST_TEST((*r == zb::operation_aborted_code()), r->message());
    gate.release.store(true);
    // Their responses are dropped as they come; the next request is answered.
    const auto next = pattern(64, sent + 1);
    std::optional<bool> ok;
    c.async_request(next, [&](error_code ec, zb::frame f) { ok = !ec && echoes(f, sent + 1); });
    BOOST_TEST(run_until(ctx, [&] { return ok.has_value(); }));
    BOOST_TEST(*ok);
    BOOST_TEST(c.requests_sent() == sent + 1);
}

// 10.4 Destroying the client with requests outstanding and queued completes
// them with operation_aborted; nothing of the channel's client side stays.
BOOST_AUTO_TEST_CASE(conformance_10_4_destroying_the_client_with_requests_pending)
{
    const auto name = unique_name("axd-destroy");
    std::vector<std::optional<error_code>> results(12);
    {
        // An 8 KiB request ring: of 12 requests of 1000 bytes some are sent,
        // one waits for room and the rest are queued when the client goes.
        gated_server gate(name, 8 * 1024, 0);
        net::io_context ctx;
        const auto data = pattern(1000, 1);
        {
            zb::asio::client c(ctx, name, small_client());
            for (std::size_t i = 0; i < results.size(); ++i)
                c.async_request(data, [&, i](error_code ec, zb::frame) { results[i] = ec; });
            ctx.restart();
            ctx.run_for(30ms);
            BOOST_TEST(c.requests_sent() < 11u);
        }
        BOOST_TEST(run_until(ctx, [&] {
            return std::all_of(results.begin(), results.end(),
                               [](auto& r) { return r.has_value(); });
        }));
        for (const auto& r : results)
            BOOST_TEST((*r == zb::operation_aborted_code()), r->message());
        // After close, a request completes with invalid_state.
        zb::asio::client closed(ctx, name, small_client());
        closed.close();
        std::optional<error_code> later;
        closed.async_request(data, [&](error_code ec, zb::frame) { later = ec; });
        BOOST_TEST(run_until(ctx, [&] { return later.has_value(); }));
        BOOST_TEST(*later == errc::invalid_state);
        gate.release.store(true);
    }
    BOOST_TEST(channel_resources(name).empty(), "left:" << listed(channel_resources(name)));
}

// 10.5 A server killed while handling a request: server_dead, about the
// liveness interval later, for the request outstanding and those after.
BOOST_AUTO_TEST_CASE(conformance_10_5_a_killed_server_is_server_dead)
{
    const auto name = unique_name("axd-srvkill");
    const pid_t server = stuck_server_process(name);
    {
        net::io_context ctx;
        zb::asio::client c(ctx, name, small_client()); // waits for the server's buffer
        const auto data = pattern(64, 1);
        std::optional<error_code> result;
        c.async_request(data, [&](error_code ec, zb::frame) { result = ec; });
        ctx.restart();
        ctx.run_for(200ms); // the handler runs
        BOOST_TEST(!result.has_value());
        kill_and_reap(server);
        const auto start = std::chrono::steady_clock::now();
        BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
        BOOST_TEST((std::chrono::steady_clock::now() - start < 5s));
        BOOST_TEST(*result == errc::server_dead, result->message());
        BOOST_TEST((*result == zb::condition::peer_gone));
        std::optional<error_code> after;
        c.async_request(data, [&](error_code ec, zb::frame) { after = ec; });
        BOOST_TEST(run_until(ctx, [&] { return after.has_value(); }));
        BOOST_TEST(*after == errc::server_dead, after->message());
    }
    zb::cleanup_stale_resources(duplex::request_buffer_name(name));
    BOOST_TEST(channel_resources(name).empty(), "left:" << listed(channel_resources(name)));
}

// 10.5 A server killed before it read a request (it never attached its
// response writer, so only its request buffer tells): server_dead too.
BOOST_AUTO_TEST_CASE(conformance_10_5_a_server_killed_before_answering_is_server_dead)
{
    const auto name = unique_name("axd-silent");
    const pid_t server = silent_server_process(name);
    {
        net::io_context ctx;
        zb::asio::client c(ctx, name, small_client());
        const auto data = pattern(64, 1);
        std::optional<error_code> result;
        c.async_request(data, [&](error_code ec, zb::frame) { result = ec; });
        ctx.restart();
        ctx.run_for(100ms);
        BOOST_TEST(!result.has_value());
        kill_and_reap(server);
        BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
        BOOST_TEST(*result == errc::server_dead, result->message());
    }
    zb::cleanup_stale_resources(duplex::request_buffer_name(name));
    BOOST_TEST(channel_resources(name).empty(), "left:" << listed(channel_resources(name)));
}

// async_connect_client waits for a server that starts later, and gives up
// with no_reader after its timeout.
BOOST_AUTO_TEST_CASE(async_connect_client_waits_for_the_server)
{
    const auto name = unique_name("axd-connect");
    net::io_context ctx;
    std::optional<error_code> connected;
    std::optional<zb::asio::client> c;
    zb::asio::async_connect_client(net::any_io_executor(ctx.get_executor()), name, small_client(),
                                   [&](error_code ec, zb::asio::client made) {
                                       connected = ec;
                                       c.emplace(std::move(made));
                                   });
    ctx.restart();
    ctx.run_for(100ms);
    BOOST_TEST(!connected.has_value()); // no server yet, and the thread was not held
    duplex::server s(name, small_server());
    s.start(echo);
    BOOST_TEST(run_until(ctx, [&] { return connected.has_value(); }));
    BOOST_TEST(!*connected, connected->message());
    BOOST_TEST(c->is_open());
    BOOST_TEST(c->is_server_connected());
    const auto data = pattern(64, 1);
    std::optional<bool> ok;
    c->async_request(data, [&](error_code ec, zb::frame f) { ok = !ec && echoes(f, 1); });
    BOOST_TEST(run_until(ctx, [&] { return ok.has_value(); }));
    BOOST_TEST(*ok);
    c.reset();
    s.stop();

    auto quick = small_client();
    quick.request.connect_timeout = 50ms;
    std::optional<error_code> refused;
    bool open = true;
    zb::asio::async_connect_client(net::any_io_executor(ctx.get_executor()),
                                   unique_name("axd-nobody"), quick,
                                   [&](error_code ec, zb::asio::client made) {
                                       refused = ec;
                                       open = made.is_open();
                                   });
    BOOST_TEST(run_until(ctx, [&] { return refused.has_value(); }));
    BOOST_TEST(*refused == errc::no_reader, refused->message());
    BOOST_TEST(!open);
    BOOST_TEST(channel_resources(name).empty(), "left:" << listed(channel_resources(name)));
}

// async_connect_client keeps its handler's associated allocator: a failed
// connect's completion is posted through it (std::allocator before).
BOOST_AUTO_TEST_CASE(async_connect_client_completes_through_the_handlers_allocator)
{
    net::io_context ctx;
    std::atomic<std::size_t> allocations{0};
    std::optional<error_code> result;
    // The io_context's own executor: an any_io_executor drops the
    // allocator preference that post() makes.
    using client_type = zb::asio::basic_client<net::io_context::executor_type>;
    zb::asio::async_connect_client(
        ctx.get_executor(), "no/such/channel", small_client(),
        net::bind_allocator(zb::test::counting_allocator<int>(allocations),
                            [&](error_code ec, client_type) { result = ec; }));
    BOOST_TEST(!result.has_value()); // never inside the initiating call
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == errc::invalid_name, result->message());
    BOOST_TEST(allocations.load() > 0u, "the completion was not allocated through the handler's");
}

// 10.6 Coroutines on four io_context threads send requests at once, each
// checking its own responses (run under ThreadSanitizer in CI).
BOOST_AUTO_TEST_CASE(conformance_10_6_concurrent_requests_on_a_multithreaded_context)
{
    const auto name = unique_name("axd-threads");
    duplex::server s(name, small_server());
    s.start(echo, duplex::processing::thread_pool(2));
    net::io_context ctx;
    zb::asio::client c(ctx, name, small_client());
    constexpr int coroutines = 8;
    constexpr int per_coroutine = 100;
    std::atomic<int> good{0};
    std::atomic<int> finished{0};
    for (int k = 0; k < coroutines; ++k) {
        net::co_spawn(
            ctx,
            [&, k]() -> net::awaitable<void> {
                for (int i = 0; i < per_coroutine; ++i) {
                    // Bytes of this coroutine's request i only: the echo
                    // must be this request's response.
                    std::vector<std::byte> data(128, static_cast<std::byte>(k));
                    std::memcpy(data.data(), &i, sizeof i);
                    auto [ec, f] =
                        co_await c.async_request(data, net::as_tuple(net::use_awaitable));
                    good += !ec && f.valid() && std::ranges::equal(f.bytes(), data);
                }
                ++finished;
            },
            net::detached);
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] { ctx.run(); });
    for (auto& t : threads)
        t.join();
    BOOST_TEST(finished.load() == coroutines);
    BOOST_TEST(good.load() == coroutines * per_coroutine);
    BOOST_TEST(c.requests_sent() == static_cast<std::uint64_t>(coroutines * per_coroutine));
    BOOST_TEST(s.counters().requests_handled ==
               static_cast<std::uint64_t>(coroutines * per_coroutine));
}
