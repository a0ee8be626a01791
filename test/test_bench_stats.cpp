// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The bench's medians of a stepped clock (example/zerobuffer/bench_stats.hpp):
// the clock's step is found from its readings, a median moves by less than a
// step, and unstepped samples keep their plain median.

#define BOOST_TEST_MODULE bench_stats
#include <boost/test/unit_test.hpp>

#include "../example/zerobuffer/bench_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using zerobuffer::tool::bench::clock_step_ns;
using zerobuffer::tool::bench::stepped_median;

namespace {

/// `true_ns` values, each read as a clock in steps of `step` ns does: the
/// difference of two readings, each rounded down to its step, with the
/// reading's phase random (and, as the VM's does, sometimes 1 ns more).
std::vector<double> read_with_steps(const std::vector<double>& true_ns, double step,
                                    std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> phase(0, step);
    std::bernoulli_distribution plus_one(0.05);
    std::vector<double> read;
    for (const double t : true_ns) {
        const double start = phase(rng);
        const double begin = std::floor(start / step) * step;
        const double end = std::floor((start + t) / step) * step;
        read.push_back((end - begin + (plus_one(rng) ? 1 : 0)) / 1000.0); // in us
    }
    std::sort(read.begin(), read.end());
    return read;
}

} // namespace

BOOST_AUTO_TEST_CASE(the_step_is_the_spacing_of_the_frequent_readings)
{
    // The VM's clock: consecutive readings 20, 21, 30, 31, 40 ns apart.
    std::vector<std::int64_t> stepped;
    for (int i = 0; i < 1000; ++i) {
        for (const std::int64_t d : {20, 30, 30, 40, 21, 31}) {
            stepped.push_back(d);
        }
    }
    stepped.push_back(90); // rare values do not count
    BOOST_TEST(clock_step_ns(stepped) == 10.0);

    // Reads quicker than a step: differences of 0 and 10 ns.
    std::vector<std::int64_t> quick;
    for (int i = 0; i < 1000; ++i) {
        quick.push_back(i % 3 == 0 ? 10 : 0);
    }
    BOOST_TEST(clock_step_ns(quick) == 10.0);

    // A step read rarely: 20 and 40 frequent, 30 and 50 as well but 60 absent.
    std::vector<std::int64_t> gappy;
    for (int i = 0; i < 1000; ++i) {
        for (const std::int64_t d : {20, 30, 40, 50, 70}) {
            gappy.push_back(d);
        }
    }
    BOOST_TEST(clock_step_ns(gappy) == 10.0);

    // A clock that counts nanoseconds: readings 18 to 27 ns apart.
    std::vector<std::int64_t> fine;
    for (int i = 0; i < 10000; ++i) {
        fine.push_back(18 + i % 10);
    }
    BOOST_TEST(clock_step_ns(fine) == 0.0);
    BOOST_TEST(clock_step_ns({}) == 0.0);
}

BOOST_AUTO_TEST_CASE(a_stepped_median_finds_what_lies_between_the_steps)
{
    // Round trips of 113 to 117 ns read by a 10-ns clock: every reading is
    // 110 or 120 (or 1 ns more); the middle sample is one of them, 4-6 ns off.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> spread(113, 117);
    std::vector<double> true_ns(100'000);
    for (auto& t : true_ns) {
        t = spread(rng);
    }
    const auto read = read_with_steps(true_ns, 10, 11);
    const double middle = read[(read.size() - 1) / 2];
    BOOST_TEST((std::abs(middle - 0.110) < 0.0015 || std::abs(middle - 0.120) < 0.0015));
    const double median = stepped_median(read, 0.010);
    BOOST_TEST(std::abs(median - 0.115) < 0.0015, "stepped median " << median);
}

BOOST_AUTO_TEST_CASE(a_stepped_median_follows_the_true_median_across_a_step)
{
    // As the true median moves from 335 to 345 ns, the middle sample jumps
    // once; the stepped median moves with it.
    double previous = 0;
    for (double centre = 335; centre <= 345; centre += 2) {
        std::mt19937 rng(static_cast<std::uint32_t>(centre));
        std::normal_distribution<double> spread(centre, 3);
        std::vector<double> true_ns(50'000);
        for (auto& t : true_ns) {
            t = spread(rng);
        }
        const double median = stepped_median(read_with_steps(true_ns, 10, 3), 0.010);
        BOOST_TEST(std::abs(median * 1000 - centre) < 2.0, centre << " ns read as " << median);
        BOOST_TEST(median > previous);
        previous = median;
    }
}

BOOST_AUTO_TEST_CASE(unstepped_samples_keep_their_plain_median)
{
    std::vector<double> fine;
    for (int i = 0; i < 1001; ++i) {
        fine.push_back(0.300 + 0.0001 * i); // 300.0 to 400.0 ns, every 0.1 ns
    }
    BOOST_TEST(stepped_median(fine, 0) == fine[500]);
    // A step given, but the samples spread within it: not from that clock.
    BOOST_TEST(stepped_median(fine, 0.010) == fine[500]);
    BOOST_TEST(stepped_median({0.25}, 0.010) == 0.25);
}
