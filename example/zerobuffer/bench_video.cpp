// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The video workload, as the reference ZeroBuffer benchmark runs it: this
// process stamps a frame with the time and its number, writes it (one copy
// into the "forward" ring); a relay process copies it into the "back" ring
// with write_frame (the second copy); we read it back and take the time. One
// frame is in flight at a time: a frame whose send time has passed goes at
// once, so "max" is back-to-back round trips and a rate the machine cannot
// keep shows as a lower achieved rate, not as queueing delay.

#include "bench_video.hpp"

#include "attach.hpp"
#include "bench_process.hpp"
#include "child.hpp"

#include <zerobuffer/detail/stream_copy.hpp>
#include <zerobuffer/duplex.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/writer.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <span>
#include <stdexcept>
#include <thread>

namespace zerobuffer::tool::bench {

namespace {

using namespace std::chrono_literals;

/// What the header of each frame carries.
struct stamp {
    std::int64_t sent_ns;
    std::uint32_t number;
    std::uint32_t padding;
};
static_assert(sizeof(stamp) == 16);

std::int64_t now_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               clock_type::now().time_since_epoch())
        .count();
}

video_stats stats_of(std::vector<double>& ms)
{
    video_stats st;
    st.samples = ms.size();
    if (ms.empty()) {
        return st;
    }
    std::sort(ms.begin(), ms.end());
    st.min_ms = ms.front();
    st.max_ms = ms.back();
    st.avg_ms = std::accumulate(ms.begin(), ms.end(), 0.0) / static_cast<double>(ms.size());
    st.p50_ms = nearest_rank(ms, 0.5);
    st.p90_ms = nearest_rank(ms, 0.9);
    st.p99_ms = nearest_rank(ms, 0.99);
    return st;
}

using copy_function = void (*)(std::byte*, const std::byte*, std::size_t);

void plain_copy(std::byte* dst, const std::byte* src, std::size_t n)
{
    std::memcpy(dst, src, n);
}

/// The copies a round trip cannot avoid (into the forward ring, from it into
/// the back ring), each into its own ring-sized buffer walked as the rings
/// are, so the caches see what the real run sees.
class copy_pair {
public:
    explicit copy_pair(const video_settings& v)
        : forward_(static_cast<std::size_t>(v.ring_size), std::byte{0}),
          back_(static_cast<std::size_t>(v.ring_size), std::byte{0})
    {
    }

    /// Copies `src` into the next place of the forward buffer and from there
    /// into the back buffer; returns the milliseconds it took.
    double run(std::span<const std::byte> src, copy_function copy)
    {
        const std::size_t n = src.size();
        if (offset_ + n > forward_.size()) {
            offset_ = 0;
        }
        const auto t0 = clock_type::now();
        copy(forward_.data() + offset_, src.data(), n);
        copy(back_.data() + offset_, forward_.data() + offset_, n);
        asm volatile("" : : "r"(back_.data()), "r"(forward_.data()) : "memory");
        const auto t1 = clock_type::now();
        offset_ += n + 16; // the frame header the ring puts before each frame
        return std::chrono::duration<double, std::milli>(t1 - t0).count();
    }

private:
    std::vector<std::byte> forward_;
    std::vector<std::byte> back_;
    std::size_t offset_ = 0;
};

/// The copies back to back, after `v.warmup` unmeasured ones.
video_stats back_to_back_baseline(const video_settings& v, copy_function copy)
{
    const std::vector<std::byte> src(static_cast<std::size_t>(v.frame_size), std::byte{0x5a});
    copy_pair pair(v);
    std::vector<double> ms;
    ms.reserve(v.frames);
    for (std::uint64_t i = 0; i < v.warmup + v.frames; ++i) {
        const double t = pair.run(src, copy);
        if (i >= v.warmup) {
            ms.push_back(t);
        }
    }
    return stats_of(ms);
}

/// The relay: echoes every frame of `forward_name` into `back_name`.
int relay(const settings& s, const video_settings& v, const std::string& forward_name,
          const std::string& back_name)
{
    pin_to(s.child_cpu);
    buffer_config config;
    config.metadata_size = 64;
    config.payload_size = v.ring_size;
    config.wait = s.wait;
    reader forward(forward_name, config);
    writer back = attach_writer(back_name, connect_options(s.wait));
    read_until_disconnected(forward, "relay reader", [&](frame& f) {
        back.write_frame(f.bytes());
        f.release();
    });
    return 0;
}

} // namespace

std::string rate_name(double rate)
{
    if (rate <= 0) {
        return "max";
    }
    char text[32];
    std::snprintf(text, sizeof text, "%g", rate);
    return text;
}

namespace {

/// The frame `number`, stamped now, into `frame_data`.
stamp stamp_frame(std::vector<std::byte>& frame_data, std::uint32_t number)
{
    const stamp sent{now_ns(), number, 0};
    std::memcpy(frame_data.data(), &sent, sizeof sent);
    return sent;
}

/// The round trip's time in milliseconds, from the stamp in `echo` to now;
/// throws when `echo` is not the echo of `sent`.
double echo_time_ms(const video_settings& v, const stamp& sent, frame& echo)
{
    const std::int64_t arrived = now_ns();
    stamp got{};
    if (echo.size() != v.frame_size) {
        throw std::runtime_error("video: the echo has the wrong size");
    }
    std::memcpy(&got, echo.bytes().data(), sizeof got);
    if (got.number != sent.number) {
        throw std::runtime_error("video: echo of frame " + std::to_string(got.number) +
                                 ", expected " + std::to_string(sent.number));
    }
    echo.release();
    return static_cast<double>(arrived - got.sent_ns) * 1e-6;
}

/// The warm-up, then every rate of `v.rates`: `round_trip(frame_data)` sends
/// one stamped frame and returns its time, with two paced memcpy beside it.
template <class RoundTrip>
void run_rates(const video_settings& v, video_result& result, RoundTrip&& round_trip)
{
    std::vector<std::byte> frame_data(static_cast<std::size_t>(v.frame_size), std::byte{0x10});
    // Warm-up once, as fast as it goes: it faults in both rings (more than a
    // ring's worth at the default sizes) and wakes the relay.
    copy_pair paced(v);
    for (std::uint64_t i = 0; i < v.warmup; ++i) {
        round_trip(frame_data);
        paced.run(frame_data, plain_copy);
    }
    for (const double rate : v.rates) {
        std::vector<double> ms;
        std::vector<double> base_ms;
        ms.reserve(v.frames);
        base_ms.reserve(v.frames);
        const auto interval = rate > 0 ? std::chrono::duration_cast<clock_type::duration>(
                                             std::chrono::duration<double>(1.0 / rate))
                                       : clock_type::duration::zero();
        const auto t0 = clock_type::now();
        clock_type::duration copying{};
        for (std::uint64_t i = 0; i < v.frames; ++i) {
            const auto due = t0 + static_cast<std::int64_t>(i) * interval;
            if (clock_type::now() < due) {
                std::this_thread::sleep_until(due);
            }
            ms.push_back(round_trip(frame_data));
            // The baseline's copies, half an interval later (at once at
            // "max"): paced as the round trips are, from the same source.
            const auto copy_due = due + interval / 2;
            if (clock_type::now() < copy_due) {
                std::this_thread::sleep_until(copy_due);
            }
            const auto c0 = clock_type::now();
            base_ms.push_back(paced.run(frame_data, plain_copy));
            if (rate <= 0) {
                copying += clock_type::now() - c0; // not the round trips' time
            }
        }
        const double seconds =
            std::chrono::duration<double>(clock_type::now() - t0 - copying).count();
        video_rate_result r;
        r.rate = rate;
        r.achieved_fps = seconds > 0 ? static_cast<double>(v.frames) / seconds : 0;
        r.round_trip = stats_of(ms);
        r.baseline = stats_of(base_ms);
        result.rates.push_back(r);
    }
}

/// The simplex path: a relay child echoes "forward" into "back".
void simplex_round_trips(const settings& s, const video_settings& v, video_result& result)
{
    const std::string forward_name = unique_name("video-forward");
    const std::string back_name = unique_name("video-back");
    buffer_config config;
    config.metadata_size = 64;
    config.payload_size = v.ring_size;
    config.wait = s.wait;
    reader back(back_name, config);
    child_process child =
        child_process::fork_function([&] { return relay(s, v, forward_name, back_name); });
    writer forward = attach_to_child(forward_name, s.wait, child);
    std::uint32_t number = 0;
    run_rates(v, result, [&](std::vector<std::byte>& frame_data) {
        const stamp sent = stamp_frame(frame_data, ++number);
        forward.write_frame(frame_data);
        boost::system::error_code ec;
        frame f = back.read_frame(5s, ec);
        if (ec || !f) {
            throw std::runtime_error("video: no echo within 5 s" +
                                     (ec ? ": " + ec.message() : std::string()));
        }
        return echo_time_ms(v, sent, f);
    });
    forward.close();
    finish_child(child, "relay");
}

/// The duplex path: a child serves an in-place echo (the response written
/// from the request, ring to ring, under the writer's copy policy) and this
/// process is its client.
void duplex_round_trips(const settings& s, const video_settings& v, video_result& result)
{
    const shared_block block;
    shared_state& state = *block;
    const std::string name = unique_name("video-duplex");
    duplex::server_options so;
    so.request.metadata_size = 64;
    so.request.payload_size = v.ring_size;
    so.request.wait = s.wait;
    so.response.wait = s.wait;
    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        duplex::server server(name, so);
        server.start([](const duplex::request& req, duplex::response_sink& sink) {
            sink.write(req.bytes());
        });
        while (state.stop.load(std::memory_order_relaxed) == 0) {
            std::this_thread::sleep_for(1ms);
        }
        server.stop();
        return 0;
    });
    duplex::client_options co;
    co.response.metadata_size = 64;
    co.response.payload_size = v.ring_size;
    co.response.wait = s.wait;
    co.request.wait = s.wait;
    co.request.write_timeout = 10s;
    co.request.connect_timeout = 30s;
    duplex::client client(name, co);
    std::uint32_t number = 0;
    run_rates(v, result, [&](std::vector<std::byte>& frame_data) {
        const stamp sent = stamp_frame(frame_data, ++number);
        client.send_request(frame_data);
        boost::system::error_code ec;
        frame f = client.receive_response(5s, ec);
        if (ec || !f) {
            throw std::runtime_error("video: no response within 5 s" +
                                     (ec ? ": " + ec.message() : std::string()));
        }
        return echo_time_ms(v, sent, f);
    });
    client.close();
    state.stop.store(1, std::memory_order_relaxed);
    finish_child(child, "duplex echo server");
}

} // namespace

video_result video_round_trips(const settings& s, const video_settings& v, video_path path)
{
    video_result result;
    result.settings = v;
    result.wait = s.wait_name;
    result.path = path;
    // Before the rings exist: the baseline's own two ring-sized buffers are
    // freed again before the real run maps its two.
    result.baseline = back_to_back_baseline(v, plain_copy);
    result.streaming_baseline = back_to_back_baseline(v, detail::stream_copy);
    if (path == video_path::duplex_echo) {
        duplex_round_trips(s, v, result);
    } else {
        simplex_round_trips(s, v, result);
    }
    return result;
}

} // namespace zerobuffer::tool::bench
