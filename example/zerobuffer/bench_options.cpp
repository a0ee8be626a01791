// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "bench_options.hpp"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <sched.h>

namespace zerobuffer::tool::bench {

namespace {

named_wait parse_wait(const std::string& option, const std::string& name)
{
    if (name == "spin" || name == "spin_then_block") {
        return {"spin_then_block", wait_strategy::spin_then_block()};
    }
    if (name == "busy" || name == "busy_poll") {
        return {"busy_poll", wait_strategy::busy_poll()};
    }
    if (name == "blocking") {
        return {"blocking", wait_strategy::blocking()};
    }
    throw usage_error("invalid value '" + name + "' for " + option +
                      ": expected blocking, spin or busy");
}

std::vector<named_wait> parse_waits(const po::variables_map& vm)
{
    const auto list = string_option(vm, "waits");
    const auto single = string_option(vm, "wait");
    if (list && single) {
        throw usage_error("give --waits or --wait, not both");
    }
    if (single) {
        return {parse_wait("--wait", *single)};
    }
    std::vector<named_wait> waits;
    std::istringstream in(list.value_or("spin,busy,blocking"));
    for (std::string item; std::getline(in, item, ',');) {
        named_wait w = parse_wait("--waits", item);
        if (std::any_of(waits.begin(), waits.end(),
                        [&](const named_wait& x) { return x.name == w.name; })) {
            throw usage_error("--waits names " + w.name + " twice");
        }
        waits.push_back(std::move(w));
    }
    if (waits.empty()) {
        throw usage_error("--waits needs at least one of blocking, spin, busy");
    }
    return waits;
}

} // namespace

settings parse_settings(const po::variables_map& vm)
{
    settings s;
    s.sizes = parse_size_list("--sizes", vm["sizes"].as<std::string>());
    s.duration = parse_seconds("--duration", vm["duration"].as<std::string>());
    if (s.duration < std::chrono::milliseconds(1)) {
        throw usage_error("--duration must be at least 1 ms");
    }
    if (const auto w = string_option(vm, "warmup")) {
        s.warmup = parse_seconds("--warmup", *w);
    } else {
        s.warmup = std::clamp<std::chrono::nanoseconds>(
            s.duration / 4, std::chrono::milliseconds(20), std::chrono::seconds(1));
    }
    s.latency_size = parse_size("--latency-size", vm["latency-size"].as<std::string>());
    if (s.latency_size == 0) {
        throw usage_error("--latency-size must be at least 1 byte");
    }
    const bool with_asio = vm.count("asio") != 0;
    // --asio compares its streaming with the synchronous one at the headline size.
    if (with_asio && std::find(s.sizes.begin(), s.sizes.end(), s.latency_size) == s.sizes.end()) {
        s.sizes.push_back(s.latency_size);
    }
    // The round trips run at every frame size, and always at the headline size.
    s.latency_sizes = s.sizes;
    s.latency_sizes.push_back(s.latency_size);
    // Iterator algorithms: clang 14 cannot compile libstdc++ 12's ranges ones.
    std::sort(s.latency_sizes.begin(), s.latency_sizes.end());
    s.latency_sizes.erase(std::unique(s.latency_sizes.begin(), s.latency_sizes.end()),
                          s.latency_sizes.end());
    if (const auto p = string_option(vm, "payload-size")) {
        s.payload_size = parse_size("--payload-size", *p);
        for (const auto size : s.sizes) {
            if (2 * (size + 16) > s.payload_size) {
                throw usage_error("--payload-size " + *p + " cannot hold two frames of " +
                                  std::to_string(size) + " bytes");
            }
        }
    }
    s.waits = parse_waits(vm);
    if (with_asio) { // the strategies of its targets, beside their sync figures
        for (const char* name : {"spin_then_block", "blocking"}) {
            if (std::none_of(s.waits.begin(), s.waits.end(),
                             [&](const named_wait& w) { return w.name == name; })) {
                s.waits.push_back(parse_wait("--waits", name));
            }
        }
    }
    s.wait = s.waits.front().wait;
    s.wait_name = s.waits.front().name;
    const std::uint64_t rounds = parse_count("--rounds", vm["rounds"].as<std::string>());
    if (rounds == 0 || rounds > 100) {
        throw usage_error("--rounds must be 1 to 100");
    }
    s.rounds = static_cast<unsigned>(rounds);
    if (s.duration / s.rounds < std::chrono::milliseconds(1)) {
        throw usage_error("--duration must leave each of the --rounds at least 1 ms");
    }
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    ::sched_getaffinity(0, sizeof allowed, &allowed);
    const auto p = string_option(vm, "pin").value_or("auto");
    if (p == "auto") {
        // The first two CPUs we may run on: left to itself the scheduler can
        // put both spinning sides on one CPU for a while (then figures drop
        // threefold), and the baselines run pinned the same way.
        std::vector<int> cpus;
        for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu) {
            if (CPU_ISSET(cpu, &allowed)) {
                cpus.push_back(cpu);
            }
        }
        if (cpus.size() == 2) {
            s.parent_cpu = cpus[0];
            s.child_cpu = cpus[1];
        }
    } else if (p != "none") {
        const auto cpus = parse_cpu_list("--pin", p);
        if (cpus.size() != 2) {
            throw usage_error("--pin takes two CPUs: WRITER,READER (e.g. 0,1), auto or none");
        }
        for (const int cpu : cpus) {
            if (!CPU_ISSET(cpu, &allowed)) {
                throw usage_error("--pin: CPU " + std::to_string(cpu) +
                                  " is not one this process may run on");
            }
        }
        s.parent_cpu = cpus[0];
        s.child_cpu = cpus[1];
    }
    return s;
}

std::optional<video_settings> parse_video(const po::variables_map& vm)
{
    if (vm.count("video") == 0) {
        return std::nullopt;
    }
    video_settings v;
    if (const auto p = string_option(vm, "video-ring")) {
        v.ring_size = parse_size("--video-ring", *p);
        if (v.ring_size < 2 * (v.frame_size + 16)) {
            throw usage_error("--video-ring " + *p + " cannot hold two " +
                              std::to_string(v.frame_size) + "-byte frames");
        }
    }
    v.frames = parse_count("--video-frames", vm["video-frames"].as<std::string>());
    if (v.frames == 0) {
        throw usage_error("--video-frames must be at least 1");
    }
    v.warmup = parse_count("--video-warmup", vm["video-warmup"].as<std::string>());
    v.rates.clear();
    std::istringstream in(vm["video-rates"].as<std::string>());
    for (std::string item; std::getline(in, item, ',');) {
        const double rate = item == "max" ? 0 : parse_number("--video-rates", item);
        if (item != "max" && rate <= 0) {
            throw usage_error("--video-rates: a rate must be above 0 (or max)");
        }
        v.rates.push_back(rate);
    }
    if (v.rates.empty()) {
        throw usage_error("--video-rates needs at least one rate");
    }
    return v;
}

std::chrono::nanoseconds parse_asio_idle(const po::variables_map& vm)
{
    const auto idle = parse_seconds("--asio-idle", vm["asio-idle"].as<std::string>());
    if (idle < std::chrono::milliseconds(10) || idle > std::chrono::seconds(60)) {
        throw usage_error("--asio-idle must be 0.01 to 60 seconds");
    }
    return idle;
}

unsigned parse_repeat(const po::variables_map& vm)
{
    const std::uint64_t repeat = parse_count("--repeat", vm["repeat"].as<std::string>());
    if (repeat == 0 || repeat > 100) {
        throw usage_error("--repeat must be 1 to 100");
    }
    return static_cast<unsigned>(repeat);
}

} // namespace zerobuffer::tool::bench
