// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "bench_duplex.hpp"

#include "bench_process.hpp"
#include "child.hpp"

#include <zerobuffer/duplex.hpp>

#include <algorithm>
#include <stdexcept>
#include <thread>
#include <vector>

namespace zerobuffer::tool::bench {

namespace {

using namespace std::chrono_literals;

duplex::server_options server_options_for(std::uint64_t ring, const wait_strategy& wait)
{
    duplex::server_options o;
    o.request.metadata_size = 64;
    o.request.payload_size = ring;
    o.request.wait = wait;
    o.response.wait = wait;
    return o;
}

duplex::client_options client_options_for(std::uint64_t ring, const wait_strategy& wait)
{
    duplex::client_options o;
    o.response.metadata_size = 64;
    o.response.payload_size = ring;
    o.response.wait = wait;
    o.request.wait = wait;
    o.request.write_timeout = 10s;
    return o;
}

/// The client of a server a freshly forked child starts; fails early when
/// the child dies first.
duplex::client connect_to_child(const std::string& name, duplex::client_options options,
                                child_process& child)
{
    const auto deadline = clock_type::now() + 30s;
    options.request.connect_timeout = 100ms;
    for (;;) {
        try {
            return duplex::client(name, options);
        } catch (const no_reader&) {
            if (const auto code = child.poll()) {
                throw std::runtime_error("the server process ended (exit status " +
                                         std::to_string(*code) + ") before creating its buffer");
            }
            if (clock_type::now() >= deadline) {
                throw;
            }
        }
    }
}

/// The child's side: serves `handler` on channel `name` until the parent
/// sets `state.stop`, watching the measured window meanwhile (its CPU time
/// is the whole process's: every thread of the server).
template <class Handler>
int serve_until_stopped(shared_state& state, const settings& s, const std::string& name,
                        const duplex::server_options& options, Handler handler,
                        const duplex::processing& processing)
{
    pin_to(s.child_cpu);
    duplex::server server(name, options);
    server.start(std::move(handler), processing);
    phase_watcher watcher(state);
    while (state.stop.load(std::memory_order_relaxed) == 0) {
        watcher.poll();
        std::this_thread::sleep_for(1ms);
    }
    watcher.finish();
    server.stop();
    return 0;
}

duplex::processing processing_of(duplex_processing p)
{
    return p == duplex_processing::single_thread ? duplex::processing::single_thread()
                                                 : duplex::processing::thread_pool(2);
}

void echo_into(const duplex::request& req, duplex::response_sink& sink)
{
    sink.write(req.bytes());
}

/// Requests per second with `pipeline` outstanding for `duration`; counts
/// responses out of order into `out_of_order`.
double pipelined_rate(duplex::client& c, std::uint64_t pipeline, std::chrono::nanoseconds warmup,
                      std::chrono::nanoseconds duration, std::uint64_t& out_of_order)
{
    const std::vector<std::byte> message(64, std::byte{0x5a});
    std::uint64_t expected = c.requests_sent() + 1;
    std::uint64_t outstanding = 0;
    const auto one = [&] {
        while (outstanding < pipeline) {
            c.send_request(message);
            ++outstanding;
        }
        frame f = c.receive_response(5s);
        if (!f) {
            throw std::runtime_error("duplex: no response within 5 s");
        }
        out_of_order += f.sequence() != expected;
        expected = f.sequence() + 1;
        --outstanding;
    };
    const auto warm_end = clock_type::now() + warmup;
    while (clock_type::now() < warm_end) {
        one();
    }
    std::uint64_t done = 0;
    const auto t0 = clock_type::now();
    const auto end = t0 + duration;
    while (clock_type::now() < end) {
        one();
        ++done;
    }
    const double seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    while (outstanding > 0) { // the rest, so the channel ends in step
        if (!c.receive_response(5s)) {
            throw std::runtime_error("duplex: no response within 5 s");
        }
        --outstanding;
    }
    return static_cast<double>(done) / seconds;
}

} // namespace

std::string_view to_string(duplex_processing p) noexcept
{
    return p == duplex_processing::single_thread ? "single_thread" : "thread_pool";
}

double pool_scaling_result::speedup() const noexcept
{
    return single_thread_rps > 0 ? thread_pool_rps / single_thread_rps : 0;
}

latency_result duplex_latency(const settings& s, std::uint64_t size, const named_wait& wait,
                              duplex_processing processing)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string name = unique_name("duplex");
    const std::uint64_t ring = std::max<std::uint64_t>(64 * 1024, 4 * (size + 16));

    child_process child = child_process::fork_function([&] {
        return serve_until_stopped(state, s, name, server_options_for(ring, wait.wait), echo_into,
                                   processing_of(processing));
    });
    duplex::client c = connect_to_child(name, client_options_for(ring, wait.wait), child);
    const std::vector<std::byte> message(size, std::byte{0x5a});
    latency_result r = time_round_trips(wait.name, s, state, [&] {
        c.send_request(message);
        boost::system::error_code ec;
        frame f = c.receive_response(5s, ec);
        if (ec || !f) {
            throw std::runtime_error("duplex: no response within 5 s" +
                                     (ec ? ": " + ec.message() : ""));
        }
    });
    c.close();
    state.stop.store(1, std::memory_order_relaxed);
    finish_child(child, "duplex server");
    r.pong_cpu = child_cpu(state);
    r.size = size;
    return r;
}

pool_scaling_result duplex_pool_scaling(const settings& s)
{
    // Spin, then block, whatever --waits says: a server pinned to one CPU
    // whose receiving thread busy-polls leaves its pool's threads only the
    // scheduler's time slices, and that would measure the scheduler.
    const wait_strategy wait = wait_strategy::spin_then_block();
    pool_scaling_result result;
    result.seconds = std::chrono::duration<double>(s.duration).count();
    const auto sleep = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::duration<double, std::milli>(result.sleep_ms));
    const auto handler = [sleep](const duplex::request& req, duplex::response_sink& sink) {
        std::this_thread::sleep_for(sleep);
        sink.write(req.bytes());
    };
    for (const bool pool : {false, true}) {
        const shared_block block;
        shared_state& state = *block;
        const std::string name = unique_name("duplex-pool");
        const auto processing =
            pool ? duplex::processing::thread_pool(result.threads, result.pipeline)
                 : duplex::processing::single_thread();
        child_process child = child_process::fork_function([&] {
            return serve_until_stopped(state, s, name, server_options_for(1 << 20, wait), handler,
                                       processing);
        });
        duplex::client c = connect_to_child(name, client_options_for(1 << 20, wait), child);
        const double rps =
            pipelined_rate(c, result.pipeline, s.warmup, s.duration, result.out_of_order);
        (pool ? result.thread_pool_rps : result.single_thread_rps) = rps;
        c.close();
        state.stop.store(1, std::memory_order_relaxed);
        finish_child(child, "duplex server");
    }
    return result;
}

} // namespace zerobuffer::tool::bench
