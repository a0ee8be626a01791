// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// `bench --asio`: round trips, streaming and an idle reader over
// `zerobuffer::asio`, each process one io_context thread running a coroutine.
// The window, the child's CPU time and the attach are those of the
// synchronous measurements (bench_support, bench_process), so the two differ
// only in how they wait.

#include "bench_asio.hpp"

#include "attach.hpp"
#include "bench_process.hpp"

#include <zerobuffer/asio.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <type_traits>
#include <vector>

namespace zerobuffer::tool::bench {

namespace net = boost::asio;

namespace {

/// One thread runs the context, as in an application with one event loop:
/// Asio may then skip work it does for several.
constexpr int one_thread = 1;

/// How many liveness intervals the idle reader's read is pending before its
/// window opens: a read sleeps two slices of one interval before it sleeps
/// on its watch of the writer (frame_wait::watch_peer), and what it costs
/// from then on is what an idle reader costs by the second.
constexpr int settle_intervals = 3;

/// Runs the coroutine `body()` on `ctx` until it and all it started ended;
/// rethrows what it threw.
template <class Body>
void run_coroutine(net::io_context& ctx, Body body)
{
    std::exception_ptr failure;
    net::co_spawn(ctx, std::move(body), [&](std::exception_ptr e) { failure = e; });
    ctx.run();
    if (failure) {
        std::rethrow_exception(failure);
    }
}

/// `read_until_disconnected` for an asynchronous reader: calls
/// `on_frame(frame&)` for every frame until the writer disconnects, and
/// awaits what it returns when that is an awaitable (an echo that writes);
/// throws on a read error, naming `role`. A plain function is called as the
/// sync reader calls it: the streaming figure is the read's, not that of a
/// coroutine frame per frame.
template <class OnFrame>
net::awaitable<void> async_read_until_disconnected(asio::reader& r, std::string role,
                                                   OnFrame on_frame)
{
    for (;;) {
        auto [ec, f] = co_await r.async_read_frame(net::as_tuple(net::use_awaitable));
        if (ec == errc::writer_disconnected) {
            co_return;
        }
        if (ec) {
            throw boost::system::system_error(ec, role);
        }
        if constexpr (std::is_void_v<std::invoke_result_t<OnFrame&, frame&>>) {
            on_frame(f);
        } else {
            co_await on_frame(f);
        }
    }
}

buffer_config config_of(std::uint64_t ring, const wait_strategy& wait)
{
    buffer_config config;
    config.metadata_size = 64;
    config.payload_size = ring;
    config.wait = wait;
    return config;
}

} // namespace

double idle_cpu_result::ms_per_s() const noexcept
{
    return seconds > 0 ? 1000.0 * cpu.total() / seconds : std::nan("");
}

bool asio_measures(const named_wait& wait) noexcept
{
    return wait.name == "blocking" || wait.name == "spin_then_block";
}

latency_result asio_latency(const settings& s, const named_wait& wait)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string ping_name = unique_name("asio-ping");
    const std::string pong_name = unique_name("asio-pong");
    const std::uint64_t size = s.latency_size;
    const buffer_config config =
        config_of(std::max<std::uint64_t>(64 * 1024, 4 * (size + 16)), wait.wait);

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        net::io_context ctx(one_thread);
        asio::reader ping(ctx, ping_name, config);
        asio::writer pong(ctx.get_executor(), attach_writer(pong_name, connect_options(wait.wait)),
                          wait.wait);
        phase_watcher watcher(state);
        run_coroutine(ctx, [&]() -> net::awaitable<void> {
            co_await async_read_until_disconnected(
                ping, "async ping reader", [&](frame& f) -> net::awaitable<void> {
                    co_await pong.async_write_frame(f.bytes(), net::use_awaitable);
                    f.release();
                    watcher.poll();
                });
        });
        watcher.finish();
        return 0;
    });

    // Created after the fork: the wait service's thread must not be running
    // when a later measurement forks.
    net::io_context ctx(one_thread);
    asio::reader pong(ctx, pong_name, config);
    asio::writer ping(ctx.get_executor(), attach_to_child(ping_name, wait.wait, child), wait.wait);
    const std::vector<std::byte> message(size, std::byte{0x5a});
    latency_result r;
    run_coroutine(ctx, [&]() -> net::awaitable<void> {
        round_trip_timer timer(s, state);
        while (timer.next()) {
            co_await ping.async_write_frame(message, net::use_awaitable);
            const frame f = co_await pong.async_read_frame(net::use_awaitable);
        }
        r = timer.result(wait.name);
    });
    ping.close();
    finish_child(child, "async echo");
    r.pong_cpu = child_cpu(state);
    return r;
}

throughput_result asio_throughput(const settings& s, std::uint64_t size)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string name = unique_name("asio-throughput");
    const buffer_config config = config_of(ring_size(s, size), s.wait);

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        net::io_context ctx(one_thread);
        asio::reader r(ctx, name, config);
        phase_watcher watcher(state);
        std::uint64_t n = 0;
        run_coroutine(ctx, [&]() -> net::awaitable<void> {
            co_await async_read_until_disconnected(r, "async reader", [&](frame& f) {
                f.release();
                state.frames.store(++n, std::memory_order_relaxed);
                watcher.poll();
            });
        });
        watcher.finish();
        return 0;
    });

    net::io_context ctx(one_thread);
    asio::writer w(ctx.get_executor(), attach_to_child(name, s.wait, child), s.wait);
    const std::vector<std::byte> data(size, std::byte{0x5a});
    const std::uint64_t batch = stream_batch(size);
    throughput_window window(s, state);
    run_coroutine(ctx, [&]() -> net::awaitable<void> {
        while (window.more()) {
            for (std::uint64_t i = 0; i < batch; ++i) {
                co_await w.async_write_frame(data, net::use_awaitable);
            }
        }
        // The reader sees the window close on this one.
        co_await w.async_write_frame(data, net::use_awaitable);
    });
    w.close();
    finish_child(child, "async reader");

    throughput_result r = window.result(size);
    r.reader_cpu = child_cpu(state);
    return r;
}

idle_cpu_result asio_idle_cpu(const settings& s, const named_wait& wait,
                              std::chrono::nanoseconds idle)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string name = unique_name("asio-idle");
    const buffer_config config = config_of(64 * 1024, wait.wait);

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        net::io_context ctx(one_thread);
        asio::reader r(ctx, name, config);
        run_coroutine(ctx, [&]() -> net::awaitable<void> {
            co_await r.async_wait_writer(net::use_awaitable);
            // The window opens once the read has gone idle (its first look,
            // its spin, the wait service's start and the slices before its
            // watch are not what an idle reader costs by the second) and ends
            // at a timer's expiry, which costs the loop nothing meanwhile.
            r.async_read_frame([](boost::system::error_code, frame) {});
            net::steady_timer timer(ctx, settle_intervals * config.wait.liveness_interval);
            co_await timer.async_wait(net::use_awaitable);
            const cpu_times cpu0 = process_cpu_times();
            const auto t0 = clock_type::now();
            timer.expires_after(idle);
            co_await timer.async_wait(net::use_awaitable);
            state.child_cpu = process_cpu_times() - cpu0;
            state.child_seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
            state.child_cpu_ready.store(1, std::memory_order_release);
            r.cancel(); // the pending read ends with operation_aborted
        });
        return 0;
    });

    // Attached, silent, until the child is done with its window.
    writer w = attach_to_child(name, wait.wait, child);
    finish_child(child, "async idle reader");
    w.close();

    idle_cpu_result result;
    result.name = wait.name;
    result.cpu = child_cpu(state);
    result.seconds = state.child_seconds;
    return result;
}

} // namespace zerobuffer::tool::bench
