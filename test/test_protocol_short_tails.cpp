// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// CONFORMANCE 8.4: the writer leaves no tail of 1 to 15 bytes at the end of
// the ring (no room for a wrap marker) when the frame also fits before the
// write position; it wraps with a marker instead (PROTOCOL.md section 5,
// "Writing a frame", step 3; doc/protocol-notes.md). On plain byte arrays, no
// processes: the placement rule itself, a property run of the ring engines
// with random sizes and random release timing, and a reader that follows the
// reference C++ reader's documented rules reading a long stream of ours.

#define BOOST_TEST_MODULE protocol_short_tails
#include <boost/test/unit_test.hpp>

#include "support/ring_fixture.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <iomanip>
#include <iostream>
#include <vector>

namespace zp = zerobuffer::protocol;
using zerobuffer::errc;
using namespace zerobuffer::test_support::ring_fixture;

namespace {

// Millions of frames in Release; a twentieth under the sanitizers or in Debug,
// so that those runs stay bounded.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ZB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define ZB_SANITIZED 1
#endif
#endif
#if defined(ZB_SANITIZED) || !defined(NDEBUG)
constexpr bool slow_build = true;
#else
constexpr bool slow_build = false;
#endif

constexpr std::uint64_t scaled(std::uint64_t count_in_release)
{
    return slow_build ? count_in_release / 20 : count_in_release;
}

// BOOST_TEST_REQUIRE for the hot paths of the long runs: Boost.Test sees the
// condition only when it fails, so a frame costs no assertion bookkeeping.
#define ZB_REQUIRE(cond, message)                                                                  \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            BOOST_TEST_REQUIRE(cond, message);                                                     \
        }                                                                                          \
    } while (false)

constexpr std::uint64_t header = zp::frame_header_size;

// The bytes a frame placed at `pos` leaves before the end of the ring.
std::uint64_t tail_after(std::uint64_t ring, std::uint64_t pos, std::uint64_t n)
{
    return ring - pos - header - n;
}

bool is_short_tail(std::uint64_t tail)
{
    return tail != 0 && tail < header;
}

// PROTOCOL.md 5 steps 1-2 as they were before the rule: the space a frame
// needs from `pos`, which alone decides frame_too_large.
std::uint64_t plain_space_needed(std::uint64_t ring, std::uint64_t pos, std::uint64_t n)
{
    const std::uint64_t to_end = ring - pos;
    return to_end >= header + n ? header + n : to_end + header + n;
}

zp::write_placement place(std::uint64_t ring, std::uint64_t pos, std::uint64_t n)
{
    zp::write_placement p;
    const auto ec = zp::place_frame(ring, pos, n, p);
    ZB_REQUIRE(!ec, "place_frame(" << ring << ", " << pos << ", " << n << "): " << ec.message());
    return p;
}

// Reads one frame and checks its size and sequence; the caller checks the
// bytes when it releases the frame (still intact then: intact when read).
zp::delivered_frame read_unchecked(zp::ring_reader& r, std::uint64_t size, std::uint64_t sequence)
{
    zp::delivered_frame f;
    const auto ec = r.next(f);
    ZB_REQUIRE(!ec, "next: " << ec.message());
    ZB_REQUIRE(f.size == size, "");
    ZB_REQUIRE(f.sequence == sequence, "");
    return f;
}

// A reader that follows the reference C++ reader's rules as PROTOCOL.md 5 and
// doc/protocol-notes.md describe them (written from those rules, not from its
// code):
// - it reads the 16-byte header at its read position with no look at the
//   bytes left before the end of the ring; past the ring it sees what a
//   mapping of the segment (whose last block is the ring) shows past the
//   segment's end within its last page: zeros;
// - payload_size 0 is a wrap marker: the rest of the ring goes back to the
//   free bytes, the read count goes up by one, and the frame at 0 is read at
//   once;
// - a read position equal to the ring size is 0;
// - a sequence other than the expected one is a sequence error, a frame
//   running past the ring an invalid read range (the Python reader's error);
// - it trusts the counts: a frame is there while the written count exceeds
//   the read count, and once the writer is gone, equal counts mean that
//   everything was read.
// It gives a frame's bytes back when the frame is released (the caller holds
// one frame at a time: returning bytes in release order is right only so).
class reference_rules_reader {
public:
    enum class result { frame, sequence_error, invalid_range };
    struct outcome {
        result kind = result::invalid_range;
        const std::byte* data = nullptr;
        std::uint64_t size = 0;
        std::uint64_t sequence = 0;
    };

    explicit reference_rules_reader(zp::segment_view seg) noexcept
        : seg_(seg), pos_(seg.oieb().load(zp::oieb_field::payload_read_pos, acquire)),
          read_count_(seg.oieb().load(zp::oieb_field::payload_read_count, acquire))
    {
    }

    // What the counts say: a frame is committed and unread.
    bool counts_show_a_frame() const noexcept
    {
        return seg_.oieb().load(zp::oieb_field::payload_written_count, acquire) > read_count_;
    }

    outcome read() noexcept
    {
        const auto ring = seg_.ring();
        const std::uint64_t size = ring.size();
        const zp::oieb_ref oieb = seg_.oieb();
        for (int step = 0; step < 2; ++step) {
            if (pos_ == size) {
                pos_ = 0;
            }
            std::byte bytes[header] = {}; // past the ring: zeros
            const std::uint64_t in_ring = std::min(header, size - pos_);
            headers_past_ring += in_ring < header ? 1 : 0;
            std::memcpy(bytes, ring.data() + pos_, static_cast<std::size_t>(in_ring));
            const zp::frame_header h = zp::load_header(bytes);
            if (h.payload_size == 0) {
                ++markers;
                oieb.fetch_add(zp::oieb_field::payload_free_bytes, size - pos_, publish);
                pos_ = 0;
                oieb.store(zp::oieb_field::payload_read_pos, pos_, publish);
                oieb.store(zp::oieb_field::payload_read_count, ++read_count_, publish);
                continue;
            }
            if (h.sequence != expected_) {
                return {result::sequence_error, nullptr, h.payload_size, h.sequence};
            }
            if (size - pos_ < header || h.payload_size > size - pos_ - header) {
                return {result::invalid_range, nullptr, h.payload_size, h.sequence};
            }
            const outcome out{result::frame, ring.data() + pos_ + header, h.payload_size,
                              h.sequence};
            pos_ += header + h.payload_size;
            oieb.store(zp::oieb_field::payload_read_pos, pos_, publish);
            oieb.store(zp::oieb_field::payload_read_count, ++read_count_, publish);
            ++expected_;
            return out;
        }
        return {}; // a marker at 0
    }

    void release(const outcome& f) noexcept
    {
        seg_.oieb().fetch_add(zp::oieb_field::payload_free_bytes, header + f.size, publish);
    }

    std::uint64_t read_count() const noexcept { return read_count_; }

    std::uint64_t markers = 0;
    std::uint64_t headers_past_ring = 0;

private:
    static constexpr auto acquire = std::memory_order_acquire;
    static constexpr auto publish = std::memory_order_release;
    zp::segment_view seg_;
    std::uint64_t pos_ = 0;
    std::uint64_t read_count_ = 0;
    std::uint64_t expected_ = 1;
};

// Writes one frame with the test pattern and returns its placement.
zp::write_placement write_placed(zp::ring_writer& w, std::uint64_t ring, std::uint64_t n)
{
    const auto p = place(ring, w.write_pos(), n);
    write_ok(w, n);
    return p;
}

} // namespace

BOOST_AUTO_TEST_SUITE(short_tails)

BOOST_AUTO_TEST_CASE(c8_4_a_frame_that_would_leave_a_short_tail_wraps_when_it_fits_before)
{
    constexpr std::uint64_t ring = 4096;
    for (std::uint64_t tail = 1; tail < header; ++tail) {
        // From 3000, 1096 bytes to the end: a frame of 1096 - tail bytes in
        // all would leave `tail`; it fits in [0, 3000), so it goes there.
        const std::uint64_t n = 1096 - tail - header;
        const auto p = place(ring, 3000, n);
        BOOST_TEST(p.wraps, "tail " << tail);
        BOOST_TEST(p.avoids_short_tail);
        BOOST_TEST(p.writes_marker);
        BOOST_TEST(p.header_pos == 0U);
        BOOST_TEST(p.wasted_tail == 1096U);
        BOOST_TEST(p.space_needed == 1096U + header + n);
    }
    // The boundary: 16 + n == write_pos still fits before it; one byte more
    // does not, and the frame stays at the write position.
    const auto fits_before = place(ring, 2045, 2045 - header); // leaves 6
    BOOST_TEST(fits_before.wraps);
    BOOST_TEST(fits_before.avoids_short_tail);
    BOOST_TEST(fits_before.space_needed == ring);          // the whole ring, never more
    const auto too_big = place(ring, 2045, 2046 - header); // leaves 5, fits only here
    BOOST_TEST(!too_big.wraps);
    BOOST_TEST(!too_big.avoids_short_tail);
    BOOST_TEST(too_big.header_pos == 2045U);

    // Tails of 0 (an exact end) and of 16 or more are left as they are.
    BOOST_TEST(!place(ring, 3000, 1096 - header).wraps);
    BOOST_TEST(!place(ring, 3000, 1096 - header - 16).wraps);
    BOOST_TEST(!place(ring, 3000, 1096 - header - 17).wraps);

    // The tail_lt16 vectors: a 4072-byte frame at 0 leaves 8 bytes and can go
    // nowhere else; the next frame wraps there with no marker.
    const auto first = place(ring, 0, 4072);
    BOOST_TEST(!first.wraps);
    BOOST_TEST(first.header_pos == 0U);
    const auto second = place(ring, 4088, 100);
    BOOST_TEST(second.wraps);
    BOOST_TEST(!second.writes_marker);
    BOOST_TEST(!second.avoids_short_tail);
    BOOST_TEST(second.wasted_tail == 8U);
}

BOOST_AUTO_TEST_CASE(c8_4_the_rule_on_every_position_and_size_of_small_rings)
{
    // Exhaustive: frame_too_large exactly as before (PROTOCOL.md 5 step 2),
    // and no placement at the write position leaves 1..15 bytes when the
    // frame fits before it.
    std::uint64_t early = 0;
    std::uint64_t kept = 0;
    for (std::uint64_t ring : {32U, 48U, 64U, 100U, 128U, 192U, 256U}) {
        for (std::uint64_t pos = 0; pos <= ring; ++pos) {
            for (std::uint64_t n = 1; n <= ring + 1; ++n) {
                zp::write_placement p;
                const auto ec = zp::place_frame(ring, pos, n, p);
                const bool refused = n > ring || plain_space_needed(ring, pos, n) > ring;
                BOOST_TEST_REQUIRE((ec == errc::frame_too_large) == refused,
                                   "ring " << ring << " pos " << pos << " n " << n << ": "
                                           << ec.message());
                if (ec) {
                    continue;
                }
                const std::uint64_t total = header + n;
                BOOST_TEST_REQUIRE(p.space_needed <= ring);
                BOOST_TEST_REQUIRE(p.header_pos + total <= ring);
                const bool fits_here = ring - pos >= total;
                if (fits_here && is_short_tail(tail_after(ring, pos, n)) && total <= pos) {
                    BOOST_TEST_REQUIRE((p.wraps && p.avoids_short_tail && p.writes_marker &&
                                        p.header_pos == 0 && p.wasted_tail == ring - pos &&
                                        p.space_needed == ring - pos + total),
                                       "ring " << ring << " pos " << pos << " n " << n);
                    ++early;
                } else {
                    // Otherwise exactly the placement of steps 1-3.
                    BOOST_TEST_REQUIRE(!p.avoids_short_tail);
                    BOOST_TEST_REQUIRE(p.wraps == !fits_here);
                    BOOST_TEST_REQUIRE(p.space_needed == plain_space_needed(ring, pos, n));
                    kept += fits_here && is_short_tail(tail_after(ring, pos, n)) ? 1 : 0;
                }
            }
        }
    }
    BOOST_TEST(early > 1000U);
    BOOST_TEST(kept > 100U); // short tails left by frames that fit nowhere else
}

BOOST_AUTO_TEST_CASE(c8_4_property_random_sizes_and_release_timing)
{
    // Random frame sizes (small, up to half the ring, sized to end 1..15 or 0
    // bytes before the end, and as large as fits), random reads and releases
    // in any order. Every placement is checked against the rule, and every
    // frame is read back intact by our ring reader.
    const std::uint64_t frame_count = scaled(3'000'000);
    std::uint64_t early_wraps = 0;
    std::uint64_t unavoidable_tails = 0;
    std::uint64_t frames_done = 0;
    for (const std::uint64_t ring : {4096U, 1024U, 192U}) {
        test_segment seg(ring);
        zp::ring_writer w(seg.view());
        zp::ring_reader r(seg.view());
        lcg rng(8400 + ring);
        std::deque<std::uint64_t> unread; // sizes committed, not read
        std::vector<zp::delivered_frame> held;
        std::uint64_t next_to_read = 1;
        std::uint64_t written = 0;
        const std::uint64_t count = frame_count / 3;
        const std::uint64_t half = zp::largest_frame_always_fits(ring);

        const auto release_at = [&](std::size_t i) {
            const auto f = held[i];
            const auto bad = patterns::first_frame_mismatch({f.data, f.size}, f.sequence);
            ZB_REQUIRE(bad == f.size,
                       "ring " << ring << " frame " << f.sequence << " differs at byte " << bad);
            r.release_frame(f);
            held[i] = held.back();
            held.pop_back();
        };

        while (next_to_read <= count) {
            // The writer writes a few frames, until the ring is full.
            for (std::uint64_t burst = 1 + rng(6); burst > 0 && written < count; --burst) {
                const std::uint64_t pos = w.write_pos();
                const std::uint64_t to_end = ring - pos;
                std::uint64_t n = 0;
                const auto pick = rng(20);
                if (pick < 4 && to_end > header + 15) {
                    n = to_end - header - 1 - rng(15); // ends 1..15 bytes before the end
                } else if (pick == 4 && to_end > header) {
                    n = to_end - header; // an exact end
                } else if (pick < 7) {
                    n = 1 + rng(zp::largest_frame_from(ring, pos)); // up to the largest
                } else if (pick < 10) {
                    n = 1 + rng(std::min<std::uint64_t>(64, half));
                } else {
                    n = 1 + rng(half);
                }
                zp::write_placement p;
                const auto placed = zp::place_frame(ring, pos, n, p);
                if (placed) {
                    ZB_REQUIRE(placed == errc::frame_too_large, "");
                    ZB_REQUIRE(plain_space_needed(ring, pos, n) > ring, "");
                    continue;
                }
                std::span<std::byte> data;
                const auto ec = w.try_reserve(n, data);
                if (ec == errc::buffer_full) {
                    break;
                }
                ZB_REQUIRE(!ec, ec.message());
                const auto header_pos =
                    static_cast<std::uint64_t>(data.data() - seg.ring()) - header;
                ZB_REQUIRE(header_pos == p.header_pos, "");
                const std::uint64_t total = header + n;
                const std::uint64_t tail = ring - header_pos - total;
                // The property: a short tail is left only by a frame that
                // could not be placed before the write position.
                if (is_short_tail(tail)) {
                    ZB_REQUIRE((header_pos != pos || total > pos),
                               "ring " << ring << " pos " << pos << " n " << n);
                    ++unavoidable_tails;
                }
                early_wraps += p.avoids_short_tail ? 1 : 0;
                patterns::fill_frame(data, w.next_sequence());
                w.commit();
                unread.push_back(n);
                ++written;
            }
            // The reader reads some, releases some in any order; when the
            // writer is stuck and nothing is unread, it releases everything.
            for (std::uint64_t k = unread.empty() ? 0 : 1 + rng(unread.size()); k > 0; --k) {
                ZB_REQUIRE(r.has_unread_bytes(), "");
                held.push_back(read_unchecked(r, unread.front(), next_to_read++));
                unread.pop_front();
            }
            std::uint64_t keep = rng(4);
            if (unread.empty() && written < count && rng(2) == 0) {
                keep = 0;
            }
            while (held.size() > keep) {
                release_at(rng(held.size()));
            }
        }
        while (!held.empty()) {
            release_at(held.size() - 1);
        }
        BOOST_TEST(!r.has_unread_bytes());
        BOOST_TEST(seg.free_bytes() == ring);
        frames_done += written;
    }
    BOOST_TEST_MESSAGE("CONFORMANCE 8.4 property: " << frames_done << " frames, " << early_wraps
                                                    << " early wraps, " << unavoidable_tails
                                                    << " short tails left by frames that fit "
                                                       "nowhere else");
    BOOST_TEST(frames_done == frame_count / 3 * 3);
    BOOST_TEST(early_wraps > frames_done / 1000);
    BOOST_TEST(unavoidable_tails > 0U);
}

BOOST_AUTO_TEST_CASE(c8_4_a_reader_of_the_reference_cpp_rules_reads_a_random_stream_of_ours)
{
    // The stream: frames of 1..2000 bytes into a 4 KiB ring. Every
    // frame is at most half the ring, so no placement leaves a short tail and
    // a reader that reads a header wherever its position is, and trusts the
    // counts, reads everything: no loss, no sequence error. The cost is the
    // rest of the lap each early wrap gives up.
    constexpr std::uint64_t ring = 4096;
    const std::uint64_t count = scaled(1'000'000);
    test_segment seg(ring);
    zp::ring_writer w(seg.view());
    reference_rules_reader r(seg.view());
    lcg rng(14);
    std::uint64_t tokens = 0; // sem-w: one per frame
    std::uint64_t written = 0;
    std::uint64_t delivered = 0;
    std::uint64_t ring_bytes = 0;  // every byte the writer took: frames and tails
    std::uint64_t early_waste = 0; // the tails the early wraps gave up
    std::uint64_t wrap_waste = 0;  // every tail given up
    std::uint64_t early_wraps = 0;
    std::uint64_t short_tails = 0;
    bool holding = false;
    reference_rules_reader::outcome held;

    const auto consume = [&](bool by_token) {
        if (by_token) {
            ZB_REQUIRE(r.counts_show_a_frame(),
                       "frame " << delivered + 1 << " is not in the counts");
            --tokens;
        }
        if (holding) {
            r.release(held);
            holding = false;
        }
        const auto f = r.read();
        ZB_REQUIRE((f.kind == reference_rules_reader::result::frame),
                   "frame " << delivered + 1 << ": error " << static_cast<int>(f.kind) << ", size "
                            << f.size << ", sequence " << f.sequence);
        ++delivered;
        ZB_REQUIRE(f.sequence == delivered, "");
        const auto bad = patterns::first_frame_mismatch({f.data, f.size}, f.sequence);
        ZB_REQUIRE(bad == f.size, "frame " << f.sequence << " differs at byte " << bad);
        if (rng(4) == 0) {
            held = f; // held while the writer writes on
            holding = true;
        } else {
            r.release(f);
        }
    };

    while (written < count) {
        bool stuck = false;
        for (std::uint64_t burst = 1 + rng(8); burst > 0 && written < count; --burst) {
            const std::uint64_t n = 1 + rng(2000);
            const auto p = place(ring, w.write_pos(), n);
            const auto ec = write(w, n);
            if (ec == errc::buffer_full) {
                stuck = true;
                break;
            }
            ZB_REQUIRE(!ec, ec.message());
            ++written;
            ++tokens;
            ring_bytes += p.wasted_tail + header + n;
            wrap_waste += p.wasted_tail;
            early_waste += p.avoids_short_tail ? p.wasted_tail : 0;
            early_wraps += p.avoids_short_tail ? 1 : 0;
            short_tails += is_short_tail(ring - p.header_pos - header - n) ? 1 : 0;
        }
        for (std::uint64_t k = tokens == 0 ? 0 : 1 + rng(tokens); k > 0; --k) {
            consume(true);
        }
        if (stuck && tokens == 0 && holding) {
            r.release(held);
            holding = false;
        }
    }
    // The writer is gone: the reader reads what the counts show, tokens or not.
    while (r.counts_show_a_frame()) {
        consume(tokens != 0);
    }
    if (holding) {
        r.release(held);
    }
    BOOST_TEST(delivered == count); // no frame lost
    BOOST_TEST(tokens == 0U);
    BOOST_TEST(short_tails == 0U);
    BOOST_TEST(r.headers_past_ring == 0U);
    BOOST_TEST(r.read_count() == seg.written());
    BOOST_TEST(seg.read_count() == seg.written());
    BOOST_TEST(seg.written() == count + r.markers);
    BOOST_TEST(seg.free_bytes() == ring);
    BOOST_TEST(early_wraps > 0U);

    const double waste = 100.0 * static_cast<double>(early_waste) / static_cast<double>(ring_bytes);
    const double all_wraps =
        100.0 * static_cast<double>(wrap_waste) / static_cast<double>(ring_bytes);
    std::cout << "early wrap waste: " << std::fixed << std::setprecision(3) << waste << " % ("
              << early_wraps << " early wraps in " << count << " frames of 1..2000 bytes, 4 KiB "
              << "ring; all wrapped tails: " << all_wraps << " %)" << std::endl;
    BOOST_TEST_MESSAGE("CONFORMANCE 8.4 early wrap waste: " << waste << " %");
    BOOST_TEST(waste < 1.0);
}

BOOST_AUTO_TEST_CASE(c8_4_a_short_tail_that_nothing_avoids_and_the_reference_cpp_rules)
{
    // What is left: a frame larger than its write position that ends 1..15
    // bytes before the end (the tail_lt16 vectors: 4072 bytes at 0). The next
    // header a reference-rules reader reads lies partly past the ring.
    constexpr std::uint64_t ring = 4096;
    {
        // A tail of zeros (a fresh ring, as in tail_lt16): taken for a marker,
        // so the reader reads on, but it counts that marker and our writer does
        // not (nor does the C++ reference, whose image we match): trusting the
        // counts it then sees no frame while one is committed, and loses the
        // last frame when the writer leaves.
        test_segment seg(ring);
        zp::ring_writer w(seg.view());
        reference_rules_reader r(seg.view());
        BOOST_TEST(!write_placed(w, ring, 4072).wraps);
        auto f = r.read();
        BOOST_TEST_REQUIRE((f.kind == reference_rules_reader::result::frame));
        r.release(f);
        BOOST_TEST(write_placed(w, ring, 100).wasted_tail == 8U);
        f = r.read();
        BOOST_TEST_REQUIRE((f.kind == reference_rules_reader::result::frame));
        BOOST_TEST(f.sequence == 2U);
        BOOST_TEST(r.headers_past_ring == 1U);
        BOOST_TEST(r.read_count() == 3U);
        BOOST_TEST(seg.written() == 2U);
        r.release(f);
        write_ok(w, 100);
        BOOST_TEST(!r.counts_show_a_frame()); // frame 3 is there: lost
    }
    {
        // Old data in the tail (tail_lt16_dirty): a sequence error. Zeroing
        // those bytes gives the case above (and changes the vector's image,
        // which holds the old bytes).
        test_segment seg(ring);
        zp::ring_writer w(seg.view());
        reference_rules_reader r(seg.view());
        write_ok(w, 4080);
        auto f = r.read();
        r.release(f);
        write_ok(w, 4072);
        f = r.read();
        BOOST_TEST_REQUIRE((f.kind == reference_rules_reader::result::frame));
        r.release(f);
        write_ok(w, 100);
        f = r.read();
        BOOST_TEST((f.kind == reference_rules_reader::result::sequence_error));
        BOOST_TEST(std::any_of(seg.ring() + 4088, seg.ring() + ring,
                               [](std::byte b) { return b != std::byte{0}; }));
        std::fill(seg.ring() + 4088, seg.ring() + ring, std::byte{0});
        f = r.read(); // the same read, now past a zeroed tail
        BOOST_TEST_REQUIRE((f.kind == reference_rules_reader::result::frame));
        BOOST_TEST(f.sequence == 3U);
        BOOST_TEST(patterns::verify_frame({f.data, f.size}, 3));
        BOOST_TEST(r.read_count() == seg.written() + 1);
        r.release(f);
        write_ok(w, 100);
        BOOST_TEST(!r.counts_show_a_frame()); // frame 4 is there: lost
    }
}

BOOST_AUTO_TEST_SUITE_END()
