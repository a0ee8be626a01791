// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_FRAMES_HPP
#define ZEROBUFFER_TEST_SUPPORT_FRAMES_HPP

// Reading what a peer process wrote, for the Boost.Test suites (include
// <boost/test/unit_test.hpp> first).

#include <zerobuffer/reader.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zerobuffer::test {

/// A buffer of `payload` ring bytes and `metadata` metadata bytes.
inline buffer_config ring_of(std::size_t payload, std::size_t metadata = 1024)
{
    buffer_config c;
    c.payload_size = payload;
    c.metadata_size = metadata;
    return c;
}

/// Writes `data` as frames with `try_write_frame` until the next does not
/// fit; returns how many did.
inline int fill_ring(writer& w, std::span<const std::byte> data)
{
    int frames = 0;
    while (w.try_write_frame(data)) {
        ++frames;
    }
    return frames;
}

/// The next frame; fails the test when none arrives within 30 s.
inline frame next_frame(reader& r)
{
    frame f = r.read_frame(std::chrono::seconds(30));
    BOOST_REQUIRE_MESSAGE(f.valid(), "no frame within 30 s");
    return f;
}

/// Reads `count` frames, checking sequences first..first+count-1, the sizes a
/// peer cycles through (frame `seq` has `sizes[(seq - 1) % sizes.size()]`
/// bytes) and the frame pattern; reports the first few bad frames.
inline void read_and_verify(reader& r, std::uint64_t first, std::uint64_t count,
                            const std::vector<std::size_t>& sizes)
{
    using patterns = testing::test_data_patterns;
    std::uint64_t bad = 0;
    for (std::uint64_t seq = first; seq < first + count; ++seq) {
        frame f = next_frame(r);
        const std::size_t expected_size = sizes[(seq - 1) % sizes.size()];
        if (f.sequence() != seq || f.size() != expected_size ||
            !patterns::verify_frame(f.bytes(), seq)) {
            BOOST_ERROR("frame " << seq << ": got sequence " << f.sequence() << ", size "
                                 << f.size() << " (expected " << expected_size
                                 << "), first mismatch at "
                                 << patterns::first_frame_mismatch(f.bytes(), f.sequence()));
            if (++bad > 5) {
                return;
            }
        }
    }
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_FRAMES_HPP
