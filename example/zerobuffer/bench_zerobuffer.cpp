// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The zerobuffer measurements of `bench`: one-way throughput and ping-pong
// round-trip latency between two processes.

#include "attach.hpp"
#include "bench_measure.hpp"
#include "bench_process.hpp"

#include <zerobuffer/reader.hpp>
#include <zerobuffer/writer.hpp>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace zerobuffer::tool::bench {

namespace {

using namespace std::chrono_literals;

} // namespace

throughput_result zerobuffer_throughput(const settings& s, std::uint64_t size)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string name = unique_name("throughput");
    buffer_config config;
    config.metadata_size = 64;
    config.payload_size = ring_size(s, size);
    config.wait = s.wait;

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        reader r(name, config);
        phase_watcher watcher(state);
        std::uint64_t n = 0;
        read_until_disconnected(r, "reader", [&](frame& f) {
            f.release();
            state.frames.store(++n, std::memory_order_relaxed);
            watcher.poll();
        });
        watcher.finish();
        return 0;
    });

    writer w = attach_to_child(name, s.wait, child);
    const std::vector<std::byte> data(size, std::byte{0x5a});
    const std::uint64_t batch = stream_batch(size);
    throughput_window window(s, state);
    while (window.more()) {
        for (std::uint64_t i = 0; i < batch; ++i) {
            w.write_frame(data);
        }
    }
    w.write_frame(data); // the reader sees the window close on this one
    w.close();
    finish_child(child, "reader");

    throughput_result r = window.result(size);
    r.reader_cpu = child_cpu(state);
    return r;
}

latency_result zerobuffer_latency(const settings& s, std::uint64_t size, const named_wait& wait)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string ping_name = unique_name("ping");
    const std::string pong_name = unique_name("pong");
    buffer_config config;
    config.metadata_size = 64;
    config.payload_size = std::max<std::uint64_t>(64 * 1024, 4 * (size + 16));
    config.wait = wait.wait;

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        reader ping(ping_name, config);
        writer pong = attach_writer(pong_name, connect_options(wait.wait));
        phase_watcher watcher(state);
        read_until_disconnected(ping, "ping reader", [&](frame& f) {
            pong.write_frame(f.bytes());
            f.release();
            watcher.poll();
        });
        watcher.finish();
        return 0;
    });

    reader pong(pong_name, config);
    writer ping = attach_to_child(ping_name, wait.wait, child);
    const std::vector<std::byte> message(size, std::byte{0x5a});
    latency_result r = time_round_trips(wait.name, s, state, [&] {
        ping.write_frame(message);
        boost::system::error_code ec;
        frame f = pong.read_frame(5s, ec);
        if (ec || !f) {
            throw std::runtime_error("no echo within 5 s" + (ec ? ": " + ec.message() : ""));
        }
    });
    ping.close();
    finish_child(child, "echo");
    r.pong_cpu = child_cpu(state);
    r.size = size;
    return r;
}

} // namespace zerobuffer::tool::bench
