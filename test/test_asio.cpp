// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// The Asio layer (CONFORMANCE section 10): completion tokens, handler
// executors, cancellation, destruction, peer failures and concurrency of
// asio::basic_reader / basic_writer, with real processes for the peer deaths.

#define BOOST_TEST_MODULE asio
#include <boost/test/unit_test.hpp>

#include "support/asio.hpp"
#include "support/forked.hpp"
#include "support/naming.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/zerobuffer.hpp>

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
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace net = boost::asio;
namespace zb = zerobuffer;
using namespace std::chrono_literals;
using boost::system::error_code;
using zerobuffer::test::asio_config;
using zerobuffer::test::asio_writer_options;
using zerobuffer::test::bytes_of;
using zerobuffer::test::run_until;
using zerobuffer::test::text_of;

namespace {

const char* forced_backend()
{
    const char* b = std::getenv("ZEROBUFFER_ASIO_WAIT");
    return b == nullptr ? "" : b;
}

} // namespace

BOOST_AUTO_TEST_CASE(the_backend_is_the_one_forced)
{
    // CTest runs this suite once per backend (ZEROBUFFER_ASIO_WAIT=io_uring
    // as test_asio, =futex_waitv as test_asio_futex_waitv): every operation
    // below sleeps in the one named here.
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-backend");
    zb::asio::reader r(ctx, name, asio_config());
    zb::asio::writer w(net::make_strand(ctx), name, asio_writer_options());
    const std::string forced = forced_backend();
    BOOST_TEST_MESSAGE("backend " << zb::asio::to_string(r.backend()));
    if (forced.empty()) {
        BOOST_TEST((r.backend() == zb::asio::wait_backend::io_uring ||
                    r.backend() == zb::asio::wait_backend::futex_waitv));
    } else {
        BOOST_TEST(std::string(zb::asio::to_string(r.backend())) == forced);
    }
    // A strand of the io_context shares the io_context's service.
    BOOST_TEST((w.backend() == r.backend()));
}

// 10.1 Each completion token kind completes.
BOOST_AUTO_TEST_CASE(conformance_10_1_every_completion_token_kind)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-tokens");
    zb::asio::reader r(ctx, name, asio_config());
    zb::asio::writer w(ctx, name, asio_writer_options());

    // callback
    std::optional<std::string> got;
    w.async_write_frame(bytes_of("one"), [](error_code ec) { BOOST_TEST(!ec); });
    r.async_read_frame([&](error_code ec, zb::frame f) {
        BOOST_TEST(!ec);
        got = text_of(f);
    });
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(*got == "one");

    // use_future, the context on another thread
    {
        auto guard = net::make_work_guard(ctx);
        ctx.restart();
        std::thread runner([&] { ctx.run(); });
        auto written = w.async_write_frame(bytes_of("two"), net::use_future);
        auto read = r.async_read_frame(net::use_future);
        written.get();
        BOOST_TEST(text_of(read.get()) == "two");
        guard.reset();
        runner.join();
    }

    // use_awaitable
    got.reset();
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            co_await w.async_write_frame(bytes_of("three"), net::use_awaitable);
            zb::frame f = co_await r.async_read_frame(net::use_awaitable);
            got = text_of(f);
        },
        net::detached);
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(*got == "three");

    // deferred, launched later
    got.reset();
    auto deferred_read = r.async_read_frame(net::deferred);
    w.get().write_frame(bytes_of("four"));
    std::move(deferred_read)([&](error_code ec, zb::frame f) {
        BOOST_TEST(!ec);
        got = text_of(f);
    });
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(*got == "four");

    // use_promise: started at once, its result taken later
    got.reset();
    w.get().write_frame(bytes_of("promised"));
    auto promised = r.async_read_frame(net::experimental::use_promise);
    // Taken once complete: Asio 1.81's promise hands a callback attached
    // before completion the moved-from values (frame empty).
    BOOST_TEST(run_until(ctx, [&] { return promised.completed(); }));
    promised(net::bind_executor(ctx, [&](error_code ec, zb::frame f) {
        BOOST_TEST(!ec);
        got = text_of(f);
    })); // else on the promise's executor, the system one
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(*got == "promised");

    // as_tuple in a coroutine; also the zero-copy reservation
    got.reset();
    net::co_spawn(
        ctx,
        [&]() -> net::awaitable<void> {
            auto [ec, area] =
                co_await w.async_get_frame_buffer(4, net::as_tuple(net::use_awaitable));
            BOOST_TEST(!ec);
            BOOST_REQUIRE(area.size() == 4u);
            std::memcpy(area.data(), "five", 4);
            w.commit_frame();
            auto [ec2, f] = co_await r.async_read_frame(net::as_tuple(net::use_awaitable));
            BOOST_TEST(!ec2);
            got = text_of(f);
        },
        net::detached);
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(*got == "five");
}

// 10.2 Handlers run on their associated executor, never inside the initiating
// call, also when a frame is ready at once.
BOOST_AUTO_TEST_CASE(conformance_10_2_handlers_never_inline_and_on_their_executor)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-exec");
    zb::asio::reader r(ctx, name, asio_config(zb::wait_strategy::spin_then_block()));
    zb::asio::writer w(ctx, name, asio_writer_options());
    w.get().write_frame(bytes_of("ready"));

    bool initiating = true;
    bool ran_inline = false;
    bool on_strand = false;
    std::optional<std::string> got;
    auto strand = net::make_strand(ctx);
    r.async_read_frame(net::bind_executor(strand, [&](error_code ec, zb::frame f) {
        ran_inline = initiating;
        on_strand = strand.running_in_this_thread();
        BOOST_TEST(!ec);
        got = text_of(f);
    }));
    initiating = false;
    BOOST_TEST(!got.has_value()); // not yet: the handler waits for the context
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST(!ran_inline);
    BOOST_TEST(on_strand);
    BOOST_TEST(*got == "ready");

    // The same for a write that finds room at once.
    initiating = true;
    bool written = false;
    w.async_write_frame(bytes_of("x"), net::bind_executor(strand, [&](error_code ec) {
                            ran_inline = initiating;
                            on_strand = strand.running_in_this_thread();
                            BOOST_TEST(!ec);
                            written = true;
                        }));
    initiating = false;
    BOOST_TEST(!written);
    BOOST_TEST(run_until(ctx, [&] { return written; }));
    BOOST_TEST(!ran_inline);
    BOOST_TEST(on_strand);
}

// A read that must sleep is woken by a frame written later, from another
// thread and from another process.
BOOST_AUTO_TEST_CASE(a_sleeping_read_is_woken_by_a_frame)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-sleep");
    zb::asio::reader r(ctx, name, asio_config());
    zb::writer w(name, asio_writer_options());

    std::optional<std::string> got;
    r.async_read_frame([&](error_code ec, zb::frame f) {
        BOOST_TEST(!ec);
        got = text_of(f);
    });
    std::thread late([&] {
        std::this_thread::sleep_for(50ms);
        w.write_frame(bytes_of("late"));
    });
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    late.join();
    BOOST_TEST(*got == "late");
    w.close();

    // Another process: a writer in a forked child, 20 frames 5 ms apart.
    std::vector<std::string> seen;
    bool failed = false;
    const pid_t child = zb::test::fork_child([&] {
        zb::writer cw(name, asio_writer_options());
        for (int i = 0; i < 20; ++i) {
            std::this_thread::sleep_for(5ms);
            cw.write_frame(bytes_of("p" + std::to_string(i)));
        }
        return 0;
    });
    std::function<void()> next = [&] {
        r.async_read_frame([&](error_code ec, zb::frame f) {
            if (ec == zb::errc::writer_disconnected) {
                next(); // the first writer's close, seen on this read
                return;
            }
            if (ec) {
                failed = true;
                return;
            }
            seen.push_back(text_of(f));
            if (seen.size() < 20)
                next();
        });
    };
    next();
    BOOST_TEST(run_until(ctx, [&] { return seen.size() == 20 || failed; }));
    BOOST_TEST(zb::test::exit_code(child) == 0);
    BOOST_REQUIRE(seen.size() == 20u);
    for (int i = 0; i < 20; ++i)
        BOOST_TEST(seen[static_cast<std::size_t>(i)] == "p" + std::to_string(i));
}

// A sleeping operation is woken by the peer's post itself, not by its next
// liveness look: with the liveness interval at 60 s, a frame written (and
// room freed) 50 ms later completes the operation well within run_until's
// 10 s. (A sleep on the futex word with the wrong private flag was woken only
// by its deadline.)
BOOST_AUTO_TEST_CASE(a_sleep_is_woken_by_the_post_not_by_its_deadline)
{
    zb::wait_strategy slow_looks = zb::wait_strategy::blocking();
    slow_looks.liveness_interval = 60s;
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-woken");
    zb::asio::reader r(ctx, name, asio_config(slow_looks, 4096));
    zb::asio::writer w(ctx, name, asio_writer_options(slow_looks));

    std::optional<std::string> got;
    r.async_read_frame([&](error_code ec, zb::frame f) {
        BOOST_TEST(!ec);
        got = text_of(f);
    });
    ctx.restart();
    ctx.run_for(20ms); // asleep
    std::thread late([&] {
        std::this_thread::sleep_for(50ms);
        w.get().write_frame(bytes_of("posted"));
    });
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    late.join();
    BOOST_TEST(got.value_or("") == "posted");

    const std::vector<std::byte> chunk(1000, std::byte{3});
    while (w.get().try_write_frame(chunk)) {
    }
    bool written = false;
    w.async_write_frame(chunk, [&](error_code ec) {
        BOOST_TEST(!ec);
        written = true;
    });
    ctx.restart();
    ctx.run_for(20ms); // asleep on a full ring
    std::thread frees([&] {
        std::this_thread::sleep_for(50ms);
        zb::frame f = r.get().read_frame(1s);
    });
    BOOST_TEST(run_until(ctx, [&] { return written; }));
    frees.join();
}

// 10.3 Cancellation of a waiting read: by slot, by cancel(), by a timer race;
// the frame written afterwards is the next read's.
BOOST_AUTO_TEST_CASE(conformance_10_3_cancelling_a_waiting_read_loses_no_frame)
{
    for (auto wait : {zb::wait_strategy::blocking(), zb::wait_strategy::spin_then_block()}) {
        net::io_context ctx;
        const auto name = zb::test::unique_name("asio-cancel-read");
        zb::asio::reader r(ctx, name, asio_config(wait));
        zb::writer w(name, asio_writer_options());

        // by slot
        net::cancellation_signal signal;
        std::optional<error_code> result;
        r.async_read_frame(
            net::bind_cancellation_slot(signal.slot(), [&](error_code ec, zb::frame f) {
                BOOST_TEST(!f.valid());
                result = ec;
            }));
        ctx.restart();
        ctx.run_for(30ms); // asleep by now
        BOOST_TEST(!result.has_value());
        signal.emit(net::cancellation_type::terminal);
        BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
        BOOST_TEST(*result == net::error::operation_aborted);

        // by cancel()
        result.reset();
        r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
        ctx.restart();
        ctx.run_for(30ms);
        r.cancel();
        BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
        BOOST_TEST(*result == net::error::operation_aborted);

        // by a timer race (parallel_group, wait_for_one)
        result.reset();
        net::steady_timer timer(ctx, 30ms);
        net::experimental::make_parallel_group(r.async_read_frame(net::deferred),
                                               timer.async_wait(net::deferred))
            .async_wait(net::experimental::wait_for_one(),
                        [&](std::array<std::size_t, 2>, error_code read_ec, zb::frame, error_code) {
                            result = read_ec;
                        });
        BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
        BOOST_TEST(*result == net::error::operation_aborted);

        // Nothing lost: the next frame goes to the next read.
        w.write_frame(bytes_of("after"));
        std::optional<std::string> got;
        r.async_read_frame([&](error_code ec, zb::frame f) {
            BOOST_TEST(!ec);
            got = text_of(f);
        });
        BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
        BOOST_TEST(*got == "after");
        BOOST_TEST(r.get().frames_read() == 1u);
    }
}

// 10.3 Cancelling a write blocked on a full ring commits nothing.
BOOST_AUTO_TEST_CASE(conformance_10_3_cancelling_a_blocked_write_commits_nothing)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-write");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    zb::asio::writer w(ctx, name, asio_writer_options());
    const std::vector<std::byte> chunk(1000, std::byte{7});
    const std::uint64_t fitted = zerobuffer::test::fill_ring(w.get(), chunk);
    BOOST_TEST(fitted > 0u);

    net::cancellation_signal signal;
    std::optional<error_code> result;
    w.async_write_frame(
        chunk, net::bind_cancellation_slot(signal.slot(), [&](error_code ec) { result = ec; }));
    ctx.restart();
    ctx.run_for(30ms);
    BOOST_TEST(!result.has_value());
    signal.emit(net::cancellation_type::total);
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == net::error::operation_aborted);
    BOOST_TEST(w.get().frames_written() == fitted);

    // The reader gets exactly the frames that fitted; the writer writes on.
    for (std::uint64_t i = 0; i < fitted; ++i)
        BOOST_TEST(r.read_frame(1s).valid());
    BOOST_TEST(!r.try_read_frame().valid());
    bool written = false;
    w.async_write_frame(chunk, [&](error_code ec) {
        BOOST_TEST(!ec);
        written = true;
    });
    BOOST_TEST(run_until(ctx, [&] { return written; }));
    BOOST_TEST(r.read_frame(1s).valid());

    // A write blocked on a full ring is woken when the reader frees room.
    while (w.get().try_write_frame(chunk)) {
    }
    written = false;
    w.async_write_frame(chunk, [&](error_code ec) {
        BOOST_TEST(!ec);
        written = true;
    });
    std::atomic<bool> drained{false}; // checked here: Boost.Test asserts on the main thread
    std::thread drain([&] {
        std::this_thread::sleep_for(30ms);
        drained = r.read_frame(1s).valid();
    });
    BOOST_TEST(run_until(ctx, [&] { return written; }));
    drain.join();
    BOOST_TEST(drained.load());
}

// One write operation at a time: a second one is refused, not interleaved.
BOOST_AUTO_TEST_CASE(a_second_write_while_one_is_outstanding_is_invalid_state)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-one-write");
    zb::reader r(name, asio_config());
    zb::asio::writer w(ctx, name, asio_writer_options());
    std::optional<error_code> first, second;
    w.async_get_frame_buffer(8, [&](error_code ec, std::span<std::byte>) { first = ec; });
    w.async_write_frame(bytes_of("no"), [&](error_code ec) { second = ec; });
    BOOST_TEST(run_until(ctx, [&] { return first && second; }));
    BOOST_TEST(!*first);
    BOOST_TEST(*second == zb::errc::invalid_state);
    w.abandon_frame();
    std::optional<error_code> third;
    w.async_write_frame(bytes_of("yes"), [&](error_code ec) { third = ec; });
    BOOST_TEST(run_until(ctx, [&] { return third.has_value(); }));
    BOOST_TEST(!*third);
    BOOST_TEST(text_of(r.read_frame(1s)) == "yes");
}

// 10.4 Destroying an object with operations pending completes them with
// operation_aborted.
BOOST_AUTO_TEST_CASE(conformance_10_4_destruction_completes_pending_operations)
{
    net::io_context ctx;
    std::vector<error_code> results;
    {
        const auto name = zb::test::unique_name("asio-destroy");
        auto r = std::make_unique<zb::asio::reader>(ctx, name, asio_config());
        for (int i = 0; i < 3; ++i)
            r->async_read_frame([&](error_code ec, zb::frame) { results.push_back(ec); });
        r->async_wait_writer([&](error_code ec) { results.push_back(ec); });
        ctx.restart();
        ctx.run_for(20ms);
        r.reset();
    }
    BOOST_TEST(run_until(ctx, [&] { return results.size() == 4; }));
    for (const auto& ec : results)
        BOOST_TEST(ec == net::error::operation_aborted);

    // A writer destroyed while its write waits for room.
    const auto name = zb::test::unique_name("asio-destroy-w");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    std::optional<error_code> write_result;
    {
        zb::asio::writer w(ctx, name, asio_writer_options());
        const std::vector<std::byte> chunk(1000, std::byte{1});
        while (w.get().try_write_frame(chunk)) {
        }
        w.async_write_frame(chunk, [&](error_code ec) { write_result = ec; });
        ctx.restart();
        ctx.run_for(20ms);
    }
    BOOST_TEST(run_until(ctx, [&] { return write_result.has_value(); }));
    BOOST_TEST(*write_result == net::error::operation_aborted);

    // The context destroyed with operations asleep: no handler runs, nothing leaks.
    {
        net::io_context doomed;
        zb::asio::reader dr(doomed, zb::test::unique_name("asio-doomed"), asio_config());
        bool ran = false;
        dr.async_read_frame([&](error_code, zb::frame) { ran = true; });
        doomed.run_for(20ms);
        BOOST_TEST(!ran);
    }
}

// 10.5 Peer failures arrive as the sync API's error codes.
BOOST_AUTO_TEST_CASE(conformance_10_5_a_killed_writer_is_writer_dead)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-killed");
    zb::asio::reader r(ctx, name, asio_config());
    int ready[2];
    BOOST_REQUIRE(::pipe(ready) == 0);
    const pid_t child = zb::test::fork_child([&] {
        zb::writer cw(name, asio_writer_options());
        cw.write_frame(bytes_of("last"));
        char c = 1;
        (void)::write(ready[1], &c, 1);
        for (;;)
            ::pause();
        return 0;
    });
    char c = 0;
    BOOST_REQUIRE(::read(ready[0], &c, 1) == 1);
    ::close(ready[0]);
    ::close(ready[1]);

    std::vector<std::string> frames;
    std::optional<error_code> failure;
    std::function<void()> next = [&] {
        r.async_read_frame([&](error_code ec, zb::frame f) {
            if (ec) {
                failure = ec;
                return;
            }
            frames.push_back(text_of(f));
            next();
        });
    };
    next();
    ctx.restart();
    ctx.run_for(30ms);
    ::kill(child, SIGKILL);
    BOOST_TEST(run_until(ctx, [&] { return failure.has_value(); }));
    BOOST_TEST(zb::test::exit_code(child) == -1);
    BOOST_TEST(frames == std::vector<std::string>{"last"});
    BOOST_TEST(*failure == zb::errc::writer_dead);
    BOOST_TEST((*failure == zb::condition::peer_gone));
}

BOOST_AUTO_TEST_CASE(conformance_10_5_a_killed_reader_is_reader_dead_for_a_blocked_write)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-killed-r");
    int ready[2];
    BOOST_REQUIRE(::pipe(ready) == 0);
    const pid_t child = zb::test::fork_child([&] {
        zb::reader cr(name, asio_config(zb::wait_strategy::blocking(), 4096));
        char c = 1;
        (void)::write(ready[1], &c, 1);
        for (;;)
            ::pause();
        return 0;
    });
    char c = 0;
    BOOST_REQUIRE(::read(ready[0], &c, 1) == 1);
    ::close(ready[0]);
    ::close(ready[1]);
    zb::asio::writer w(ctx, name, asio_writer_options());
    const std::vector<std::byte> chunk(1000, std::byte{2});
    while (w.get().try_write_frame(chunk)) {
    }
    std::optional<error_code> result;
    w.async_write_frame(chunk, [&](error_code ec) { result = ec; });
    ctx.restart();
    ctx.run_for(30ms);
    ::kill(child, SIGKILL);
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(zb::test::exit_code(child) == -1);
    BOOST_TEST(*result == zb::errc::reader_dead);
    zb::cleanup_stale_resources(name);
}

// Waiting for the peer: a writer attaching, a reader creating the buffer.
BOOST_AUTO_TEST_CASE(waiting_for_a_writer_and_for_a_reader)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-wait-peer");

    std::optional<error_code> connected;
    std::optional<zb::asio::basic_writer<net::io_context::executor_type>> attached;
    zb::asio::async_connect_writer(
        ctx.get_executor(), name, asio_writer_options(),
        [&](error_code ec, zb::asio::basic_writer<net::io_context::executor_type> w) {
            connected = ec;
            if (!ec)
                attached.emplace(std::move(w));
        });
    ctx.restart();
    ctx.run_for(30ms);
    BOOST_TEST(!connected.has_value());

    zb::asio::reader r(ctx, name, asio_config());
    std::optional<error_code> writer_seen;
    BOOST_TEST(run_until(ctx, [&] { return connected.has_value(); }));
    BOOST_TEST(!*connected);
    r.async_wait_writer([&](error_code ec) { writer_seen = ec; });
    BOOST_TEST(run_until(ctx, [&] { return writer_seen.has_value(); }));
    BOOST_TEST(!*writer_seen);

    // A connect timeout passes: no_reader.
    zb::writer_options quick = asio_writer_options();
    quick.connect_timeout = 50ms;
    std::optional<error_code> timed_out;
    zb::asio::async_connect_writer(ctx.get_executor(), zb::test::unique_name("asio-nobody"), quick,
                                   [&](error_code ec, auto) { timed_out = ec; });
    BOOST_TEST(run_until(ctx, [&] { return timed_out.has_value(); }));
    BOOST_TEST(*timed_out == zb::errc::no_reader);
}

// 10.6 Many concurrent operations on a multi-threaded io_context.
BOOST_AUTO_TEST_CASE(conformance_10_6_many_operations_on_a_multithreaded_context)
{
    net::io_context ctx(4);
    const auto name = zb::test::unique_name("asio-many");
    zb::asio::reader r(ctx, name, asio_config(zb::wait_strategy::spin_then_block(), 1 << 20));
    zb::asio::writer w(ctx, name, asio_writer_options(zb::wait_strategy::spin_then_block()));
    constexpr int frames = 2000;
    constexpr int readers = 8;

    std::atomic<int> received{0};
    std::atomic<int> started{readers};
    std::atomic<int> errors{0};
    std::atomic<std::uint64_t> sum{0};
    std::function<void()> read_one = [&] {
        r.async_read_frame([&](error_code ec, zb::frame f) {
            if (ec) {
                if (ec != net::error::operation_aborted)
                    ++errors;
                return;
            }
            std::uint32_t v = 0;
            std::memcpy(&v, f.data(), sizeof v);
            sum += v;
            ++received;
            if (started.fetch_add(1) < frames)
                read_one();
        });
    };
    for (int i = 0; i < readers; ++i)
        read_one();

    auto strand = net::make_strand(ctx);
    std::atomic<int> written{0};
    std::vector<std::byte> payload(64);
    std::function<void()> write_one = [&] {
        const auto v = static_cast<std::uint32_t>(written.load() + 1);
        std::memcpy(payload.data(), &v, sizeof v);
        w.async_write_frame(payload, net::bind_executor(strand, [&](error_code ec) {
                                if (ec) {
                                    ++errors;
                                    return;
                                }
                                if (++written < frames)
                                    write_one();
                            }));
    };
    net::post(strand, write_one);

    std::vector<std::thread> threads;
    auto guard = net::make_work_guard(ctx);
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] { ctx.run(); });
    const auto give_up = std::chrono::steady_clock::now() + 20s;
    while (received.load() < frames && errors.load() == 0 &&
           std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(5ms);
    r.cancel();
    guard.reset();
    for (auto& t : threads)
        t.join();
    BOOST_TEST(errors.load() == 0);
    BOOST_TEST(received.load() == frames);
    BOOST_TEST(sum.load() == std::uint64_t{frames} * (frames + 1) / 2);
}

// 10.2 A frame there at once, and room there at once, complete through the
// handler's associated allocator, also on the default any_io_executor (a
// post through it drops the allocator in Asio 1.81: the completion is posted
// to the io_context's own executor behind it).
BOOST_AUTO_TEST_CASE(conformance_10_2_ready_results_complete_through_the_handlers_allocator)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-ready-allocator");
    zb::asio::reader r(ctx, name, asio_config());
    zb::asio::writer w(ctx, name, asio_writer_options());
    std::atomic<std::size_t> allocations{0};
    std::optional<error_code> written;
    w.async_write_frame(bytes_of("there"),
                        net::bind_allocator(zb::test::counting_allocator<int>(allocations),
                                            [&](error_code ec) { written = ec; }));
    BOOST_TEST(!written.has_value()); // never inside the initiating call
    BOOST_TEST(run_until(ctx, [&] { return written.has_value(); }));
    BOOST_TEST(!*written);
    BOOST_TEST(allocations.load() > 0U, "the write's completion was not the handler's allocation");

    const std::size_t before = allocations.load();
    std::optional<std::string> got;
    r.async_read_frame(net::bind_allocator(zb::test::counting_allocator<int>(allocations),
                                           [&](error_code, zb::frame f) { got = text_of(f); }));
    BOOST_TEST(!got.has_value());
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST((got && *got == "there"));
    BOOST_TEST(allocations.load() > before,
               "the read's completion was not the handler's allocation");
}
