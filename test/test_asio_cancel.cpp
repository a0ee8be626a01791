// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// The Asio layer's cancellation beyond a waiting read (CONFORMANCE 10.1,
// 10.3): every cancellation type a read and a write take, a blocked write and
// a blocked reservation racing a timer (parallel_group and awaitable `||`),
// the waits for a peer, and the executor's default completion token.

#define BOOST_TEST_MODULE asio_cancel
#include <boost/test/unit_test.hpp>

#include "support/asio.hpp"
#include "support/naming.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace net = boost::asio;
namespace zb = zerobuffer;
using namespace std::chrono_literals;
using namespace boost::asio::experimental::awaitable_operators;
using boost::system::error_code;
using zerobuffer::test::asio_config;
using zerobuffer::test::asio_writer_options;
using zerobuffer::test::bytes_of;
using zerobuffer::test::fill_ring;
using zerobuffer::test::run_until;
using zerobuffer::test::text_of;

namespace {

constexpr net::cancellation_type every_type[] = {net::cancellation_type::terminal,
                                                 net::cancellation_type::partial,
                                                 net::cancellation_type::total};

/// Runs `ctx` briefly: an operation started before is asleep after it.
void let_it_sleep(net::io_context& ctx)
{
    ctx.restart();
    ctx.run_for(30ms);
}

/// Lets the operation that sets `result` fall asleep, emits `type` on
/// `signal`, and checks that the operation completed with operation_aborted.
void cancel_by_slot(net::io_context& ctx, net::cancellation_signal& signal,
                    net::cancellation_type type, const std::optional<error_code>& result)
{
    let_it_sleep(ctx);
    BOOST_TEST(!result.has_value());
    signal.emit(type);
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == net::error::operation_aborted);
}

} // namespace

// 10.1 Without a token an operation completes as its executor's default
// completion token says.
BOOST_AUTO_TEST_CASE(conformance_10_1_the_default_token_is_the_executors)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-default-token");
    using awaitable_reader = net::use_awaitable_t<>::as_default_on_t<zb::asio::reader>;
    using tuple_writer = net::as_tuple_t<net::use_awaitable_t<>>::as_default_on_t<zb::asio::writer>;
    awaitable_reader r(ctx.get_executor(), name, asio_config());
    tuple_writer w(ctx.get_executor(), name, asio_writer_options());
    std::optional<std::string> got;
    std::optional<error_code> write_ec, wait_ec;
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            co_await r.async_wait_writer(); // throws on error: use_awaitable
            wait_ec = error_code{};
            auto [ec] = co_await w.async_write_frame(bytes_of("default")); // a tuple
            write_ec = ec;
            zb::frame f = co_await r.async_read_frame();
            got = text_of(f);
        },
        net::detached);
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(wait_ec.has_value());
    BOOST_TEST(write_ec.has_value());
    BOOST_TEST(!*write_ec);
    BOOST_TEST(*got == "default");
}

// 10.3 A waiting read takes each cancellation type, and loses no frame.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_read_takes_every_cancellation_type)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-read-types");
    zb::asio::reader r(ctx, name, asio_config());
    zb::writer w(name, asio_writer_options());
    for (const auto type : every_type) {
        BOOST_TEST_CONTEXT("type " << static_cast<int>(type))
        {
            net::cancellation_signal signal;
            std::optional<error_code> result;
            r.async_read_frame(net::bind_cancellation_slot(
                signal.slot(), [&](error_code ec, zb::frame) { result = ec; }));
            cancel_by_slot(ctx, signal, type, result);
        }
    }
    w.write_frame(bytes_of("kept"));
    std::optional<std::string> got;
    r.async_read_frame([&](error_code ec, zb::frame f) {
        BOOST_TEST(!ec);
        got = text_of(f);
    });
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(*got == "kept");
}

// 10.3 A write blocked on a full ring takes each cancellation type and loses a
// timer race (parallel_group, and awaitable `||`), committing nothing each time.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_blocked_write_cancelled_any_way_commits_nothing)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-write-race");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    zb::asio::writer w(ctx, name, asio_writer_options());
    const std::vector<std::byte> chunk(1000, std::byte{7});
    const std::uint64_t fitted = fill_ring(w.get(), chunk);
    BOOST_REQUIRE_GT(fitted, 0u);

    for (const auto type : every_type) {
        BOOST_TEST_CONTEXT("type " << static_cast<int>(type))
        {
            net::cancellation_signal signal;
            std::optional<error_code> result;
            w.async_write_frame(chunk, net::bind_cancellation_slot(
                                           signal.slot(), [&](error_code ec) { result = ec; }));
            cancel_by_slot(ctx, signal, type, result);
        }
    }

    // A timer race through a parallel_group.
    std::optional<error_code> raced;
    std::optional<std::size_t> winner;
    net::steady_timer timer(ctx, 30ms);
    net::experimental::make_parallel_group(w.async_write_frame(chunk, net::deferred),
                                           timer.async_wait(net::deferred))
        .async_wait(net::experimental::wait_for_one(),
                    [&](std::array<std::size_t, 2> order, error_code write_ec, error_code) {
                        winner = order[0];
                        raced = write_ec;
                    });
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return raced.has_value(); }));
    BOOST_TEST(*winner == 1u); // the timer
    BOOST_TEST(*raced == net::error::operation_aborted);

    // A timer race through awaitable operators.
    std::optional<std::size_t> index;
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            net::steady_timer t(co_await net::this_coro::executor, 30ms);
            auto outcome = co_await (w.async_write_frame(chunk, net::use_awaitable) ||
                                     t.async_wait(net::use_awaitable));
            index = outcome.index();
        },
        net::detached);
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return index.has_value(); }));
    BOOST_TEST(*index == 1u);

    // Nothing of the five cancelled writes reached the ring.
    BOOST_TEST(w.get().frames_written() == fitted);
    for (std::uint64_t i = 0; i < fitted; ++i)
        BOOST_TEST(r.read_frame(1s).valid());
    BOOST_TEST(!r.try_read_frame().valid());
}

// 10.3 A read racing a timer through awaitable `||` loses no frame.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_read_loses_an_awaitable_or_race_and_no_frame)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-read-or");
    zb::asio::reader r(ctx, name, asio_config());
    zb::writer w(name, asio_writer_options());
    std::optional<std::size_t> index;
    std::optional<std::string> next;
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            net::steady_timer t(co_await net::this_coro::executor, 30ms);
            auto outcome = co_await (r.async_read_frame(net::use_awaitable) ||
                                     t.async_wait(net::use_awaitable));
            index = outcome.index();
            w.write_frame(bytes_of("next"));
            next = text_of(co_await r.async_read_frame(net::use_awaitable));
        },
        net::detached);
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return next.has_value(); }));
    BOOST_TEST(*index == 1u);
    BOOST_TEST(*next == "next");
    BOOST_TEST(r.get().frames_read() == 1u);
}

// 10.3 A reservation waiting for room, cancelled by slot or by cancel(),
// reserves nothing: the next write takes the room when it comes.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_cancelled_reservation_reserves_nothing)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-reserve");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    zb::asio::writer w(ctx, name, asio_writer_options());
    const std::vector<std::byte> chunk(1000, std::byte{3});
    const std::uint64_t fitted = fill_ring(w.get(), chunk);

    net::cancellation_signal signal;
    std::optional<error_code> by_slot, by_cancel;
    w.async_get_frame_buffer(1000, net::bind_cancellation_slot(
                                       signal.slot(), [&](error_code ec, std::span<std::byte> s) {
                                           BOOST_TEST(s.empty());
                                           by_slot = ec;
                                       }));
    cancel_by_slot(ctx, signal, net::cancellation_type::terminal, by_slot);

    w.async_get_frame_buffer(1000, [&](error_code ec, std::span<std::byte>) { by_cancel = ec; });
    let_it_sleep(ctx);
    w.cancel();
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return by_cancel.has_value(); }));
    BOOST_TEST(*by_cancel == net::error::operation_aborted);

    // No reservation is left behind: commit has nothing to publish, and a
    // new write starts (and completes once the reader frees room).
    error_code commit_ec;
    w.commit_frame(commit_ec);
    BOOST_TEST(commit_ec == zb::errc::invalid_state);
    BOOST_TEST(r.read_frame(1s).valid());
    bool written = false;
    w.async_write_frame(bytes_of("room"), [&](error_code ec) {
        BOOST_TEST(!ec);
        written = true;
    });
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return written; }));
    BOOST_TEST(w.get().frames_written() == fitted + 1);
}

// 10.3 The waits for a peer: a reader's async_wait_writer by slot and by
// cancel(), async_connect_writer by slot and by a timer race.
BOOST_AUTO_TEST_CASE(conformance_10_3_waits_for_a_peer_are_cancellable)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-peer");
    {
        zb::asio::reader r(ctx, name, asio_config());
        net::cancellation_signal signal;
        std::optional<error_code> by_slot, by_cancel;
        r.async_wait_writer(
            net::bind_cancellation_slot(signal.slot(), [&](error_code ec) { by_slot = ec; }));
        cancel_by_slot(ctx, signal, net::cancellation_type::terminal, by_slot); // no writer yet

        r.async_wait_writer([&](error_code ec) { by_cancel = ec; });
        let_it_sleep(ctx);
        r.cancel();
        BOOST_TEST_REQUIRE(run_until(ctx, [&] { return by_cancel.has_value(); }));
        BOOST_TEST(*by_cancel == net::error::operation_aborted);
    }

    // No reader: the connect waits (connect_timeout 0: until cancelled).
    zb::writer_options patient = asio_writer_options();
    patient.connect_timeout = std::chrono::milliseconds::zero();
    net::cancellation_signal signal;
    std::optional<error_code> by_slot;
    zb::asio::async_connect_writer(
        ctx.get_executor(), name, patient,
        net::bind_cancellation_slot(signal.slot(), [&](error_code ec, auto w) {
            BOOST_TEST(!w.is_open());
            by_slot = ec;
        }));
    cancel_by_slot(ctx, signal, net::cancellation_type::terminal, by_slot);

    std::optional<std::size_t> winner;
    net::steady_timer timer(ctx, 30ms);
    net::experimental::make_parallel_group(
        zb::asio::async_connect_writer(ctx.get_executor(), name, patient, net::deferred),
        timer.async_wait(net::deferred))
        .async_wait(net::experimental::wait_for_one(),
                    [&](std::array<std::size_t, 2> order, error_code connect_ec, auto, error_code) {
                        BOOST_TEST(connect_ec == net::error::operation_aborted);
                        winner = order[0];
                    });
    BOOST_TEST_REQUIRE(run_until(ctx, [&] { return winner.has_value(); }));
    BOOST_TEST(*winner == 1u);
}
