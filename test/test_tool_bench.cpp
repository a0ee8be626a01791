// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// `zerobuffer bench`, driven as a user drives it: a separate process whose
// --json output we parse. The runs are tiny (milliseconds per measurement) so
// that the suite stays short under the sanitizers; the tests check the shape
// of the report and that its figures are sane, never how fast anything is.

#define BOOST_TEST_MODULE tool_bench
#include <boost/test/unit_test.hpp>

#include <boost/json/src.hpp>

#include "support/tool_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sched.h>

using namespace std::chrono_literals;
using zerobuffer::test_support::run_tool;
using zerobuffer::test_support::tool_result;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

/// As short as the tool allows, so the test measures shape, not speed.
const std::vector<std::string> tiny = {"--duration", "0.005", "--warmup", "0.005"};

std::vector<std::string> bench(std::vector<std::string> extra)
{
    std::vector<std::string> args{"bench", "--json"};
    args.insert(args.end(), tiny.begin(), tiny.end());
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

/// The JSON object a run printed: its last non-empty line of stdout.
json::object parse_object(const std::string& out)
{
    const std::size_t end = out.find_last_not_of("\r\n");
    std::string line;
    if (end != std::string::npos) {
        const std::size_t nl = out.rfind('\n', end);
        const std::size_t start = nl == std::string::npos ? 0 : nl + 1;
        line = out.substr(start, end + 1 - start);
    }
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
        throw std::runtime_error("not a JSON object: '" + line + "'");
    }
    return v.as_object();
}

double number(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) {
        throw std::runtime_error("no number '" + std::string(key) + "' in " + json::serialize(o));
    }
    return v->to_number<double>();
}

/// A latency entry: samples, and percentiles in order.
void check_latency(const json::object& l, double clock_step_us)
{
    BOOST_TEST_CONTEXT(json::serialize(l))
    {
        BOOST_TEST(number(l, "samples") > 0);
        BOOST_TEST(number(l, "min_us") > 0);
        BOOST_TEST(number(l, "median_us") >= number(l, "min_us"));
        BOOST_TEST(number(l, "p99_us") >= number(l, "median_us"));
        // The middle sample itself, and the median placed within the
        // clock's step around it: never more than half a step apart.
        BOOST_TEST(number(l, "median_raw_us") >= number(l, "min_us"));
        BOOST_TEST(number(l, "median_raw_us") <= number(l, "p99_us"));
        BOOST_TEST(std::abs(number(l, "median_us") - number(l, "median_raw_us")) <=
                   clock_step_us / 2 + 0.002);
        BOOST_TEST(number(l, "p999_us") >= number(l, "p99_us"));
        BOOST_TEST(number(l, "max_us") >= number(l, "p999_us"));
        for (const char* side : {"ping_cpu", "pong_cpu"}) {
            const auto& cpu = l.at(side).as_object();
            BOOST_TEST(number(cpu, "user_s") >= 0);
            // Null only when the echo side could not report its CPU time.
            BOOST_TEST((cpu.at("percent").is_number() || cpu.at("percent").is_null()));
        }
    }
}

/// Nothing of run `pid` left in /dev/shm or /tmp/zerobuffer.
void check_nothing_left(pid_t pid)
{
    const std::string mark = "-" + std::to_string(pid) + "-";
    for (const char* dir : {"/dev/shm", "/tmp/zerobuffer"}) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string f = entry.path().filename().string();
            BOOST_TEST_INFO(dir << "/" << f);
            // Segments and lock files start with the name, semaphores
            // ("sem.sem-w-NAME") end with it.
            BOOST_TEST(!(f.find("zerobuffer-bench-") != std::string::npos &&
                         f.find(mark) != std::string::npos));
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(tool_bench)

BOOST_AUTO_TEST_CASE(json_has_every_size_strategy_baseline_and_target)
{
    const tool_result r = run_tool(bench({}), 300s);
    BOOST_TEST_INFO(r.describe());
    BOOST_REQUIRE_EQUAL(r.code(), 0);
    const auto o = parse_object(r.out);
    const std::vector<std::int64_t> sizes = {64, 4096, 65536, 1048576};
    const std::vector<std::string> waits = {"spin_then_block", "busy_poll", "blocking"};

    const auto& settings = o.at("settings").as_object();
    BOOST_TEST(json::serialize(settings.at("waits")) ==
               R"(["spin_then_block","busy_poll","blocking"])");
    BOOST_TEST(settings.at("video").as_bool() == false);
    BOOST_TEST(number(settings, "rounds") == 4);
    BOOST_TEST(number(settings, "clock_step_us") >= 0);
    BOOST_TEST(number(settings, "clock_step_us") < 1); // a step of a microsecond is no clock
    // Pinned by default to the first two CPUs it may use, when it has two.
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    ::sched_getaffinity(0, sizeof allowed, &allowed);
    if (CPU_COUNT(&allowed) >= 2) {
        BOOST_TEST(settings.at("pin").as_array().size() == 2u);
    } else {
        BOOST_TEST(settings.at("pin").is_null());
    }
    BOOST_TEST(o.at("video").is_null());
    BOOST_TEST(o.at("duplex").is_null()); // without --duplex
    BOOST_TEST(o.at("asio").is_null());   // without --asio
    BOOST_TEST(settings.at("asio").as_bool() == false);

    // One-way throughput beside memcpy into a ring-sized buffer and the
    // streaming floor, per size.
    const auto& throughput = o.at("throughput").as_array();
    const auto& copies = o.at("memcpy_into_ring").as_array();
    BOOST_REQUIRE_EQUAL(throughput.size(), sizes.size());
    BOOST_REQUIRE_EQUAL(copies.size(), sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        const auto& t = throughput[i].as_object();
        const auto& m = copies[i].as_object();
        BOOST_TEST_CONTEXT(json::serialize(t) << "\n" << json::serialize(m))
        {
            BOOST_TEST(number(t, "size") == sizes[i]);
            BOOST_TEST(number(t, "frames") > 0);
            BOOST_TEST(number(t, "frames_per_s") > 0);
            BOOST_TEST(number(t, "gib_per_s") > 0);
            BOOST_TEST(number(t, "memcpy_into_ring_gib_per_s") > 0);
            BOOST_TEST(number(t, "ratio_to_memcpy_into_ring") > 0);
            BOOST_TEST(number(t, "streaming_floor_frames_per_s") > 0);
            BOOST_TEST(number(t, "ratio_to_streaming_floor") ==
                           number(t, "frames_per_s") / number(t, "streaming_floor_frames_per_s"),
                       boost::test_tools::tolerance(1e-6)); // 9 digits printed
            BOOST_TEST(number(m, "size") == sizes[i]);
            BOOST_TEST(number(m, "ring_size") >= 2 * sizes[i]);
            BOOST_TEST(number(m, "ring_size") == number(t, "ring_size"));
            BOOST_TEST(number(m, "gib_per_s") > 0);
        }
    }

    // Round trips: every strategy at every size, and each baseline.
    const auto& latency = o.at("latency").as_object();
    const auto& zb = latency.at("zerobuffer").as_object();
    BOOST_TEST(zb.size() == waits.size());
    for (const auto& w : waits) {
        const auto& runs = zb.at(w).as_array();
        BOOST_TEST_CONTEXT(w)
        {
            BOOST_REQUIRE_EQUAL(runs.size(), sizes.size());
            for (std::size_t i = 0; i < sizes.size(); ++i) {
                BOOST_TEST(number(runs[i].as_object(), "size") == sizes[i]);
                check_latency(runs[i].as_object(), number(settings, "clock_step_us"));
            }
        }
    }
    const auto& baselines = latency.at("baselines").as_object();
    for (const char* name : {"busy_poll_floor", "semaphore", "pipe", "unix_socket"}) {
        BOOST_TEST_CONTEXT(name)
        {
            check_latency(baselines.at(name).as_object(), number(settings, "clock_step_us"));
        }
    }

    // The ratios at the headline size, against every baseline.
    const auto& ratios = o.at("latency_ratios").as_object();
    for (const auto& w : waits) {
        for (const char* name : {"busy_poll_floor", "semaphore", "pipe", "unix_socket"}) {
            BOOST_TEST_CONTEXT(w << " vs " << name)
            {
                const auto& x = ratios.at(w).as_object().at(name).as_object();
                BOOST_TEST(number(x, "median") > 0);
                BOOST_TEST(number(x, "p99") > 0);
            }
        }
    }

    // Eleven targets: the five measured in this run (value, target, met), and
    // the two of the duplex channel and the four of asio, not measured
    // without --duplex and --asio.
    const auto& targets = o.at("targets").as_object();
    BOOST_TEST(targets.size() == 11u);
    for (const char* key : {"duplex_busy_poll_rtt_over_simplex", "duplex_pool_speedup",
                            "asio_blocking_rtt_over_sync", "asio_spin_then_block_rtt_over_sync",
                            "asio_streaming_over_sync", "asio_idle_cpu_ms_per_s"}) {
        BOOST_TEST_CONTEXT(key)
        {
            const auto& t = targets.at(key).as_object();
            BOOST_TEST(t.at("value").is_null());
            BOOST_TEST(number(t, "target") > 0);
            BOOST_TEST(t.at("met").as_bool() == false);
        }
    }
    for (const char* key : {"spin_then_block_rtt_over_floor", "busy_poll_rtt_over_floor",
                            "blocking_rtt_over_semaphore", "streaming_over_floor",
                            "throughput_over_memcpy_into_ring"}) {
        BOOST_TEST_CONTEXT(key)
        {
            const auto& t = targets.at(key).as_object();
            BOOST_TEST(number(t, "value") > 0);
            BOOST_TEST(number(t, "target") > 0);
            BOOST_TEST(t.at("met").is_bool());
            const auto& cmp = t.at("comparison").as_string();
            BOOST_TEST((cmp == "<=" || cmp == ">="));
            // met says what value and target say.
            const bool below = number(t, "value") <= number(t, "target");
            const bool above = number(t, "value") >= number(t, "target");
            BOOST_TEST(t.at("met").as_bool() == (cmp == "<=" ? below : above));
        }
    }
    BOOST_TEST(number(targets.at("streaming_over_floor").as_object(), "value") ==
               number(throughput[0].as_object(), "ratio_to_streaming_floor"));
    BOOST_TEST(number(targets.at("spin_then_block_rtt_over_floor").as_object(), "target") == 3);
    BOOST_TEST(number(targets.at("streaming_over_floor").as_object(), "target") == 0.5);
    check_nothing_left(r.pid);
}

BOOST_AUTO_TEST_CASE(waits_picks_the_strategies)
{
    const tool_result r = run_tool(bench({"--sizes", "64", "--waits", "busy"}), 120s);
    BOOST_TEST_INFO(r.describe());
    BOOST_REQUIRE_EQUAL(r.code(), 0);
    const auto o = parse_object(r.out);
    const auto& zb = o.at("latency").as_object().at("zerobuffer").as_object();
    BOOST_TEST(zb.size() == 1u);
    BOOST_TEST(zb.at("busy_poll").as_array().size() == 1u);
    const auto& targets = o.at("targets").as_object();
    // Not measured: null and not met, but still there.
    const auto& spin = targets.at("spin_then_block_rtt_over_floor").as_object();
    BOOST_TEST(spin.at("value").is_null());
    BOOST_TEST(spin.at("met").as_bool() == false);
    BOOST_TEST(number(targets.at("busy_poll_rtt_over_floor").as_object(), "value") > 0);

    // --wait is the one-strategy shorthand; --latency-size joins the sizes.
    const tool_result one =
        run_tool(bench({"--sizes", "4K", "--wait", "blocking", "--latency-size", "64"}), 120s);
    BOOST_TEST_INFO(one.describe());
    BOOST_REQUIRE_EQUAL(one.code(), 0);
    const auto p = parse_object(one.out);
    const auto& runs =
        p.at("latency").as_object().at("zerobuffer").as_object().at("blocking").as_array();
    BOOST_REQUIRE_EQUAL(runs.size(), 2u);
    BOOST_TEST(number(runs[0].as_object(), "size") == 64);
    BOOST_TEST(number(runs[1].as_object(), "size") == 4096);
}

BOOST_AUTO_TEST_CASE(duplex_reports_round_trips_beside_the_simplex_pool_scaling_and_video)
{
    const tool_result r =
        run_tool(bench({"--duplex", "--sizes", "64,4K", "--waits", "spin,blocking", "--video",
                        "--video-ring", "16M", "--video-frames", "10", "--video-warmup", "2",
                        "--video-rates", "1000,max"}),
                 300s);
    BOOST_TEST_INFO(r.describe());
    BOOST_REQUIRE_EQUAL(r.code(), 0);
    const auto o = parse_object(r.out);
    const auto& d = o.at("duplex").as_object();
    const auto& zerobuffer = o.at("latency").as_object().at("zerobuffer").as_object();
    for (const char* processing : {"single_thread", "thread_pool"}) {
        for (const char* wait : {"spin_then_block", "blocking"}) {
            BOOST_TEST_CONTEXT(processing << " " << wait)
            {
                const auto& trips =
                    d.at("round_trips").as_object().at(processing).as_object().at(wait).as_array();
                const auto& ratios = d.at("ratios_to_simplex")
                                         .as_object()
                                         .at(processing)
                                         .as_object()
                                         .at(wait)
                                         .as_array();
                const auto& simplex = zerobuffer.at(wait).as_array();
                BOOST_REQUIRE_EQUAL(trips.size(), 2u);
                BOOST_REQUIRE_EQUAL(ratios.size(), 2u);
                for (std::size_t i = 0; i < 2; ++i) {
                    const auto& t = trips[i].as_object();
                    BOOST_TEST(number(t, "size") == (i == 0 ? 64 : 4096));
                    BOOST_TEST(number(t, "samples") > 0);
                    BOOST_TEST(number(t, "median_us") > 0);
                    BOOST_TEST(number(t, "p99_us") >= number(t, "median_us"));
                    // The ratio is to the simplex ping-pong of the same wait and size.
                    BOOST_TEST(number(ratios[i].as_object(), "median") ==
                                   number(t, "median_us") /
                                       number(simplex[i].as_object(), "median_us"),
                               boost::test_tools::tolerance(1e-6));
                }
            }
        }
    }
    const auto& pool = d.at("pool_scaling").as_object();
    BOOST_TEST(number(pool, "threads") == 8);
    BOOST_TEST(number(pool, "pipeline") == 16);
    BOOST_TEST(number(pool, "single_thread_rps") > 0);
    BOOST_TEST(number(pool, "thread_pool_rps") > 0);
    BOOST_TEST(number(pool, "out_of_order") == 0); // CONFORMANCE 9.12: in order under the pool
    const auto& video = d.at("video").as_object();
    BOOST_TEST(video.at("rates").as_array().size() == 2u);
    BOOST_TEST(number(video.at("rates").as_array()[0].as_object(), "samples") == 10);
    const auto& targets = o.at("targets").as_object();
    BOOST_TEST(targets.contains("duplex_busy_poll_rtt_over_simplex"));
    BOOST_TEST(number(targets.at("duplex_pool_speedup").as_object(), "target") == 6);
    check_nothing_left(r.pid);
}

BOOST_AUTO_TEST_CASE(asio_reports_async_beside_sync_round_trips_streaming_and_idle_cpu)
{
    // --asio adds spin and blocking to the waits and the headline size to the sizes.
    const tool_result r = run_tool(
        bench({"--asio", "--sizes", "4K", "--waits", "busy", "--asio-idle", "0.05"}), 300s);
    BOOST_TEST_INFO(r.describe());
    BOOST_REQUIRE_EQUAL(r.code(), 0);
    const auto o = parse_object(r.out);
    const auto& settings = o.at("settings").as_object();
    BOOST_TEST(settings.at("asio").as_bool());
    BOOST_TEST(json::serialize(settings.at("waits")) ==
               R"(["busy_poll","spin_then_block","blocking"])");
    BOOST_TEST(json::serialize(settings.at("sizes")) == "[4096,64]");
    const double step = number(settings, "clock_step_us");
    const auto& a = o.at("asio").as_object();
    const auto& zerobuffer = o.at("latency").as_object().at("zerobuffer").as_object();

    // Round trips: sync and async at the headline size for the two waits
    // (busy-poll on an event loop is spin-then-block: not measured).
    const auto& trips = a.at("round_trips").as_object();
    BOOST_TEST(trips.size() == 2u);
    const std::vector<std::pair<std::string, double>> limits = {{"spin_then_block", 2},
                                                                {"blocking", 1.3}};
    for (const auto& wait_limit : limits) {
        const std::string& wait = wait_limit.first;
        const double limit = wait_limit.second;
        BOOST_TEST_CONTEXT(wait)
        {
            const auto& t = trips.at(wait).as_object();
            BOOST_TEST(number(t, "size") == 64);
            const auto& sync = t.at("sync").as_object();
            const auto& async = t.at("async").as_object();
            check_latency(sync, step);
            check_latency(async, step);
            // The sync side is the report's own ping-pong of that wait.
            BOOST_TEST(number(sync, "median_us") ==
                       number(zerobuffer.at(wait).as_array()[0].as_object(), "median_us"));
            const auto& ratios = t.at("ratios").as_object();
            BOOST_TEST(number(ratios, "median") ==
                           number(async, "median_us") / number(sync, "median_us"),
                       boost::test_tools::tolerance(1e-6));
            BOOST_TEST(number(ratios, "p99") == number(async, "p99_us") / number(sync, "p99_us"),
                       boost::test_tools::tolerance(1e-6));
            BOOST_TEST(number(t, "target") == limit);
            BOOST_TEST(t.at("met").as_bool() == (number(ratios, "median") <= limit));
            for (const char* side : {"ping_cpu", "pong_cpu"}) {
                BOOST_TEST(number(async.at(side).as_object(), "percent") >= 0);
            }
        }
    }

    // Streaming: async frames/s beside the sync stream of the same size and wait.
    const auto& stream = a.at("streaming").as_object();
    BOOST_TEST(number(stream, "size") == 64);
    BOOST_TEST(stream.at("wait").as_string() == "busy_poll");
    const auto& sync_stream = stream.at("sync").as_object();
    const auto& async_stream = stream.at("async").as_object();
    BOOST_TEST(number(sync_stream, "frames_per_s") ==
               number(o.at("throughput").as_array()[1].as_object(), "frames_per_s"));
    BOOST_TEST(number(async_stream, "frames") > 0);
    BOOST_TEST(number(async_stream, "frames_per_s") > 0);
    BOOST_TEST(number(async_stream.at("writer_cpu").as_object(), "percent") >= 0);
    BOOST_TEST(number(async_stream.at("reader_cpu").as_object(), "percent") >= 0);
    BOOST_TEST(number(stream, "ratio") ==
                   number(async_stream, "frames_per_s") / number(sync_stream, "frames_per_s"),
               boost::test_tools::tolerance(1e-6));
    BOOST_TEST(number(stream, "target") == 0.5);

    // The idle reader: its window at least --asio-idle long, its CPU time sane.
    const auto& idle = a.at("idle").as_object();
    BOOST_TEST(idle.size() == 2u);
    for (const char* wait : {"spin_then_block", "blocking"}) {
        BOOST_TEST_CONTEXT(wait)
        {
            const auto& i = idle.at(wait).as_object();
            BOOST_TEST(number(i, "seconds") >= 0.05);
            BOOST_TEST(number(i, "cpu_ms_per_s") >= 0);
            BOOST_TEST(number(i.at("cpu").as_object(), "user_s") >= 0);
            BOOST_TEST(number(i, "target") == 1);
            BOOST_TEST(i.at("met").as_bool() == (number(i, "cpu_ms_per_s") <= 1));
        }
    }

    const auto& targets = o.at("targets").as_object();
    for (const char* key : {"asio_blocking_rtt_over_sync", "asio_spin_then_block_rtt_over_sync",
                            "asio_streaming_over_sync", "asio_idle_cpu_ms_per_s"}) {
        BOOST_TEST_CONTEXT(key)
        {
            BOOST_TEST(number(targets.at(key).as_object(), "value") >= 0);
            BOOST_TEST(targets.at(key).as_object().at("met").is_bool());
        }
    }
    BOOST_TEST(number(targets.at("asio_blocking_rtt_over_sync").as_object(), "value") ==
               number(trips.at("blocking").as_object().at("ratios").as_object(), "median"));
    check_nothing_left(r.pid);
}

BOOST_AUTO_TEST_CASE(video_reports_every_rate_and_its_baseline)
{
    const tool_result r =
        run_tool(bench({"--sizes", "64", "--waits", "spin", "--video", "--video-ring", "16M",
                        "--video-frames", "20", "--video-warmup", "5"}),
                 300s);
    BOOST_TEST_INFO(r.describe());
    BOOST_REQUIRE_EQUAL(r.code(), 0);
    const auto o = parse_object(r.out);
    BOOST_TEST(o.at("settings").as_object().at("video").as_bool());
    const auto& v = o.at("video").as_object();
    BOOST_TEST(number(v, "frame_size") == 3110416);
    BOOST_TEST(number(v, "ring_size") == 16 << 20);
    BOOST_TEST(number(v, "frames") == 20);
    BOOST_TEST(number(v, "warmup") == 5);
    const auto check_stats = [](const json::object& s, double samples) {
        BOOST_TEST_CONTEXT(json::serialize(s))
        {
            BOOST_TEST(number(s, "samples") == samples);
            BOOST_TEST(number(s, "min_ms") > 0);
            BOOST_TEST(number(s, "p50_ms") >= number(s, "min_ms"));
            BOOST_TEST(number(s, "p90_ms") >= number(s, "p50_ms"));
            BOOST_TEST(number(s, "p99_ms") >= number(s, "p90_ms"));
            BOOST_TEST(number(s, "max_ms") >= number(s, "p99_ms"));
            BOOST_TEST(number(s, "avg_ms") >= number(s, "min_ms"));
            BOOST_TEST(number(s, "avg_ms") <= number(s, "max_ms"));
        }
    };
    check_stats(v.at("baseline").as_object(), 20);
    const auto& streaming = v.at("streaming_baseline").as_object();
    check_stats(streaming, 20);
    BOOST_TEST(number(streaming, "p50_over_baseline") > 0);
    const auto& rates = v.at("rates").as_array();
    const std::vector<std::string> names = {"30", "60", "120", "240", "500", "1000", "max"};
    BOOST_REQUIRE_EQUAL(rates.size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto& x = rates[i].as_object();
        BOOST_TEST(x.at("rate").as_string() == names[i]);
        BOOST_TEST(x.at("target_fps").is_null() == (names[i] == "max"));
        BOOST_TEST(number(x, "achieved_fps") > 0);
        check_stats(x, 20);
        check_stats(x.at("baseline").as_object(), 20);
        // The target's base is the rate's own paced copies (9 digits printed).
        BOOST_TEST(number(x, "p50_over_baseline") ==
                       number(x, "p50_ms") / number(x.at("baseline").as_object(), "p50_ms"),
                   boost::test_tools::tolerance(1e-6));
        BOOST_TEST(number(x, "p50_over_back_to_back") ==
                       number(x, "p50_ms") / number(v.at("baseline").as_object(), "p50_ms"),
                   boost::test_tools::tolerance(1e-6));
        BOOST_TEST(number(x, "target") == 1.25);
        BOOST_TEST(x.at("met").is_bool());
        // Both video targets of each rate are among the run's targets.
        const auto& targets = o.at("targets").as_object();
        BOOST_TEST_CONTEXT(names[i])
        {
            const auto& p50 =
                targets.at("video_" + names[i] + "_p50_over_paced_copies").as_object();
            BOOST_TEST(number(p50, "value") == number(x, "p50_over_baseline"),
                       boost::test_tools::tolerance(1e-6));
            BOOST_TEST(number(p50, "target") == 1.25);
            const auto& p99 = targets.at("video_" + names[i] + "_p99_over_p50").as_object();
            BOOST_TEST(number(p99, "value") == number(x, "p99_ms") / number(x, "p50_ms"),
                       boost::test_tools::tolerance(1e-6));
            BOOST_TEST(number(p99, "target") == 1.5);
            BOOST_TEST(p99.at("met").as_bool() == (number(p99, "value") <= 1.5));
        }
    }
    check_nothing_left(r.pid);
}

BOOST_AUTO_TEST_CASE(repeat_judges_every_target_by_its_median_over_the_runs)
{
    const tool_result r =
        run_tool(bench({"--repeat", "3", "--sizes", "64,1M", "--waits", "busy,blocking"}), 300s);
    BOOST_TEST_INFO(r.describe());
    BOOST_REQUIRE_EQUAL(r.code(), 0);
    const auto o = parse_object(r.out);
    BOOST_TEST(number(o, "repeat") == 3);
    const auto& runs = o.at("runs").as_array();
    BOOST_REQUIRE_EQUAL(runs.size(), 3u);
    const auto& targets = o.at("targets").as_object();
    BOOST_TEST(targets.size() == runs[0].as_object().at("targets").as_object().size());
    std::size_t measured = 0;
    for (const auto& [key, value] : targets) {
        BOOST_TEST_CONTEXT(key)
        {
            const auto& t = value.as_object();
            const auto& values = t.at("values").as_array();
            BOOST_REQUIRE_EQUAL(values.size(), 3u);
            std::vector<double> seen;
            for (std::size_t run = 0; run < 3; ++run) {
                // Each value is that run's own.
                const auto& own =
                    runs[run].as_object().at("targets").as_object().at(key).as_object();
                BOOST_TEST(values[run].is_null() == own.at("value").is_null());
                if (!values[run].is_null()) {
                    BOOST_TEST(values[run].to_number<double>() == number(own, "value"));
                    seen.push_back(values[run].to_number<double>());
                }
            }
            if (seen.empty()) { // not measured in this run: spin, duplex, asio
                BOOST_TEST(t.at("median").is_null());
                BOOST_TEST(t.at("met").as_bool() == false);
                continue;
            }
            BOOST_REQUIRE_EQUAL(seen.size(), 3u);
            ++measured;
            std::sort(seen.begin(), seen.end());
            BOOST_TEST(number(t, "median") == seen[1]);
            BOOST_TEST(number(t, "min") == seen[0]);
            BOOST_TEST(number(t, "max") == seen[2]);
            const bool at_most = t.at("comparison").as_string() == "<=";
            BOOST_TEST(t.at("met").as_bool() ==
                       (at_most ? seen[1] <= number(t, "target") : seen[1] >= number(t, "target")));
        }
    }
    // busy-poll and blocking round trips, streaming over the floor, 1 MiB.
    BOOST_TEST(measured == 4u);
    check_nothing_left(r.pid);

    // The table says the same over the runs, after each run's own.
    std::vector<std::string> table{"bench", "--repeat", "2", "--sizes", "64", "--waits", "busy"};
    table.insert(table.end(), tiny.begin(), tiny.end());
    const tool_result t = run_tool(table, 300s);
    BOOST_TEST_INFO(t.describe());
    BOOST_REQUIRE_EQUAL(t.code(), 0);
    BOOST_TEST(t.out.find("run 2 of 2") != std::string::npos);
    BOOST_TEST(t.out.find("performance targets over 2 runs, each judged by its median") !=
               std::string::npos);
    BOOST_TEST(t.out.find("one-way frames/s / streaming floor frames/s") != std::string::npos);
    check_nothing_left(t.pid);
}

BOOST_AUTO_TEST_CASE(bad_options_are_usage_errors)
{
    struct bad_case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<bad_case> cases = {
        {{"bench", "--waits", "spin,fast"}, "invalid value 'fast' for --waits"},
        {{"bench", "--waits", ""}, "--waits"},
        {{"bench", "--waits", "spin,spin"}, "twice"},
        {{"bench", "--wait", "slow"}, "invalid value 'slow' for --wait"},
        {{"bench", "--waits", "spin", "--wait", "busy"}, "not both"},
        {{"bench", "--video", "--video-ring", "1M"}, "--video-ring"},
        {{"bench", "--video", "--video-rates", "30,0"}, "--video-rates"},
        {{"bench", "--rounds", "0"}, "--rounds"},
        {{"bench", "--rounds", "4294967297"}, "--rounds"},
        {{"bench", "--duration", "0.002", "--rounds", "4"}, "--rounds"},
        {{"bench", "--pin", "0"}, "--pin takes two CPUs"},
        {{"bench", "--asio", "--asio-idle", "0"}, "--asio-idle"},
        {{"bench", "--repeat", "0"}, "--repeat"},
        {{"bench", "--repeat", "101"}, "--repeat"},
    };
    for (const auto& c : cases) {
        const tool_result r = run_tool(c.args, 60s);
        BOOST_TEST_CONTEXT(c.args[1] << " " << c.args[2] << "\n" << r.describe())
        {
            BOOST_TEST(r.code() == 2);
            BOOST_TEST(r.err.find(c.message) != std::string::npos);
            BOOST_TEST(r.out.empty());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
