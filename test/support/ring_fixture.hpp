// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_RING_FIXTURE_HPP
#define ZEROBUFFER_TEST_SUPPORT_RING_FIXTURE_HPP

// The ring engines on a plain byte array, for the protocol suites (include
// <boost/test/unit_test.hpp> first): a fresh segment, frames written and read
// with the test pattern, a reproducible random generator.

#include "vector_image.hpp"

#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

namespace zerobuffer::test_support::ring_fixture {

namespace zp = zerobuffer::protocol;
using patterns = zerobuffer::testing::test_data_patterns;

constexpr auto relaxed = std::memory_order_relaxed;

// A freshly initialized segment with a metadata block of 64 bytes.
struct test_segment {
    explicit test_segment(std::uint64_t payload_size = 1024)
        : layout(*zp::make_layout(64, payload_size)), bytes(layout.segment_size())
    {
        zp::initialize_oieb(oieb(), layout, 4242);
    }
    zp::segment_view view() { return {bytes.data(), layout}; }
    zp::oieb_ref oieb() { return zp::oieb_ref(bytes.data()); }
    std::uint64_t get(zp::oieb_field f) { return oieb().load(f, relaxed); }
    void set(zp::oieb_field f, std::uint64_t v) { oieb().store(f, v, relaxed); }
    std::uint64_t free_bytes() { return get(zp::oieb_field::payload_free_bytes); }
    std::uint64_t write_pos() { return get(zp::oieb_field::payload_write_pos); }
    std::uint64_t read_pos() { return get(zp::oieb_field::payload_read_pos); }
    std::uint64_t written() { return get(zp::oieb_field::payload_written_count); }
    std::uint64_t read_count() { return get(zp::oieb_field::payload_read_count); }
    std::byte* ring() { return view().ring().data(); }
    std::vector<std::byte> copy() { return {bytes.span().begin(), bytes.span().end()}; }

    zp::segment_layout layout;
    aligned_bytes bytes;
};

// Writes a frame of `n` bytes with the pattern of its sequence (as a copying writer does).
inline boost::system::error_code write(zp::ring_writer& w, std::uint64_t n)
{
    std::span<std::byte> data;
    if (auto ec = w.try_reserve(n, data)) {
        return ec;
    }
    BOOST_TEST_REQUIRE(data.size() == n);
    patterns::fill_frame(data, w.next_sequence());
    w.commit();
    return {};
}

inline void write_ok(zp::ring_writer& w, std::uint64_t n)
{
    const auto ec = write(w, n);
    BOOST_TEST_REQUIRE(!ec, "write of " << n << " bytes: " << ec.message());
}

// Reads one frame and checks its size, sequence and pattern.
inline zp::delivered_frame read_ok(zp::ring_reader& r, std::uint64_t size, std::uint64_t sequence)
{
    zp::delivered_frame f;
    const auto ec = r.next(f);
    BOOST_TEST_REQUIRE(!ec, "next: " << ec.message());
    BOOST_TEST_REQUIRE(f.size == size);
    BOOST_TEST_REQUIRE(f.sequence == sequence);
    const auto bad = patterns::first_frame_mismatch({f.data, f.size}, sequence);
    BOOST_TEST_REQUIRE(bad == f.size, "frame " << sequence << " differs at byte " << bad);
    return f;
}

// A small deterministic generator (the test must be reproducible).
class lcg {
public:
    explicit lcg(std::uint64_t seed) : state_(seed) {}
    std::uint64_t operator()(std::uint64_t bound) // in [0, bound)
    {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state_ >> 33) % bound;
    }

private:
    std::uint64_t state_;
};

} // namespace zerobuffer::test_support::ring_fixture

#endif // ZEROBUFFER_TEST_SUPPORT_RING_FIXTURE_HPP
