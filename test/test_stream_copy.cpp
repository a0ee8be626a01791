// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/detail/stream_copy.hpp and copy_policy: the streaming copy gives
// memcpy's bytes at every alignment and size and writes nothing outside its
// destination; the policy picks it only where it pays; a writer that uses it
// delivers every frame intact.

#define BOOST_TEST_MODULE stream_copy
#include <boost/test/unit_test.hpp>

#include "support/raw_segment.hpp"

#include <zerobuffer/detail/stream_copy.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <vector>

using namespace std::chrono_literals;
using zerobuffer::copy_policy;
using zerobuffer::detail::stream_copy;
using zerobuffer::detail::streaming_threshold;
using zerobuffer::test::unique_name;
using zerobuffer::testing::test_data_patterns;

namespace {

constexpr std::uint64_t never = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t mib = std::uint64_t{1} << 20;

} // namespace

BOOST_AUTO_TEST_SUITE(stream_copy_suite)

BOOST_AUTO_TEST_CASE(copies_every_size_and_alignment_within_its_destination)
{
    constexpr std::size_t guard = 64;
    const std::vector<std::size_t> sizes = {0,  1,   15,  16,  17,   63,   64,   65,
                                            79, 127, 128, 129, 4095, 4096, 4097, 65536 + 13};
    std::vector<std::byte> source(65536 + 256);
    for (std::size_t i = 0; i < source.size(); ++i) {
        source[i] = static_cast<std::byte>((i * 7 + 3) & 0xffU);
    }
    std::vector<std::byte> target(65536 + 256 + 2 * guard);
    for (const std::size_t n : sizes) {
        for (std::size_t src_align = 0; src_align < 64; src_align += 13) {
            for (std::size_t dst_align = 0; dst_align < 64; ++dst_align) {
                std::fill(target.begin(), target.end(), std::byte{0xee});
                std::byte* dst = target.data() + guard + dst_align;
                stream_copy(dst, source.data() + src_align, n);
                BOOST_TEST_REQUIRE(std::memcmp(dst, source.data() + src_align, n) == 0,
                                   "size " << n << " src " << src_align << " dst " << dst_align);
                const auto untouched = [](std::byte b) { return b == std::byte{0xee}; };
                BOOST_TEST_REQUIRE(std::all_of(target.data(), dst, untouched),
                                   "wrote before the destination");
                BOOST_TEST_REQUIRE(std::all_of(dst + n, target.data() + target.size(), untouched),
                                   "wrote past the destination");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(policy_streams_only_large_frames_into_rings_beyond_the_cache)
{
    const std::uint64_t cache = 32 * mib;
    BOOST_TEST(streaming_threshold(copy_policy::cached, 1024 * mib, cache) == never);
    if (!zerobuffer::detail::has_streaming_stores) {
        BOOST_TEST(streaming_threshold(copy_policy::streaming, 1024 * mib, cache) == never);
        BOOST_TEST(streaming_threshold(copy_policy::automatic, 1024 * mib, cache) == never);
        return;
    }
    // A ring the cache holds: the reader finds the frame in the cache.
    BOOST_TEST(streaming_threshold(copy_policy::automatic, 4 * mib, cache) == never);
    BOOST_TEST(streaming_threshold(copy_policy::automatic, 16 * mib - 64, cache) == never);
    // From half the cache on, large frames stream.
    BOOST_TEST(streaming_threshold(copy_policy::automatic, 16 * mib, cache) == 256 * 1024);
    BOOST_TEST(streaming_threshold(copy_policy::automatic, 256 * mib, cache) == 256 * 1024);
    BOOST_TEST(streaming_threshold(copy_policy::streaming, 4 * mib, cache) == 4096u);
    BOOST_TEST(zerobuffer::detail::last_level_cache_bytes() > 0u);
}

BOOST_AUTO_TEST_CASE(a_streaming_writer_delivers_every_frame_intact)
{
    const auto name = unique_name("stream_copy");
    zerobuffer::reader r(name, {1024, 256 * 1024});
    zerobuffer::writer_options options;
    options.copy = copy_policy::streaming;
    zerobuffer::writer w(name, options);
    // Odd sizes at shifting ring offsets and source alignments, over several
    // wraps; below and above the 4 KiB streaming threshold.
    std::vector<std::byte> source(70000 + 64);
    std::uint64_t sequence = 1;
    for (int round = 0; round < 60; ++round) {
        const std::size_t n = 4096 - 3 + static_cast<std::size_t>(round) * 1031;
        const std::size_t offset = static_cast<std::size_t>(round) % 61;
        const std::span<std::byte> data(source.data() + offset, n);
        test_data_patterns::fill_frame(data, sequence);
        w.write_frame(data);
        zerobuffer::frame f = r.read_frame(5s);
        BOOST_TEST_REQUIRE(f.size() == n);
        BOOST_TEST_REQUIRE(f.sequence() == sequence);
        BOOST_TEST_REQUIRE(test_data_patterns::verify_frame(f.bytes(), sequence));
        ++sequence;
    }
}

BOOST_AUTO_TEST_SUITE_END()
