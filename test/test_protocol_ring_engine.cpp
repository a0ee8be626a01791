// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suite for protocol/ring_engine.hpp: ring_writer and ring_reader driven
// together on a plain byte array, no shared memory, no semaphores
// (PROTOCOL.md section 5; CONFORMANCE 1.5, 3.4, 4.4, 4.5, 5.2, 5.3, 6.1, 6.2).

#define BOOST_TEST_MODULE protocol_ring_engine
#include <boost/test/unit_test.hpp>

#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include "support/vector_image.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

namespace zp = zerobuffer::protocol;
using zerobuffer::errc;
using zerobuffer::test_support::aligned_bytes;
using patterns = zerobuffer::testing::test_data_patterns;

namespace {

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
boost::system::error_code write(zp::ring_writer& w, std::uint64_t n)
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

void write_ok(zp::ring_writer& w, std::uint64_t n)
{
    const auto ec = write(w, n);
    BOOST_TEST_REQUIRE(!ec, "write of " << n << " bytes: " << ec.message());
}

// Reads one frame and checks its size, sequence and pattern.
zp::delivered_frame read_ok(zp::ring_reader& r, std::uint64_t size, std::uint64_t sequence)
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

} // namespace

BOOST_AUTO_TEST_SUITE(ring_engine)

BOOST_AUTO_TEST_CASE(one_frame_round_trip)
{
    test_segment seg;
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    BOOST_TEST(w.next_sequence() == 1U);
    BOOST_TEST(r.expected_sequence() == 1U);

    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(100, data));
    BOOST_TEST(w.has_reservation());
    BOOST_TEST(data.data() == seg.ring() + 16); // zero-copy: inside the ring
    BOOST_TEST(data.size() == 100U);
    const auto h = zp::load_header(seg.ring());
    BOOST_TEST(h.payload_size == 100U);
    BOOST_TEST(h.sequence == 1U);
    patterns::fill_frame(data, 1);
    BOOST_TEST(w.commit() == 1U);
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(w.next_sequence() == 2U);
    BOOST_TEST(w.write_pos() == 116U);
    BOOST_TEST(seg.write_pos() == 116U);
    BOOST_TEST(seg.free_bytes() == 1024U - 116U);
    BOOST_TEST(seg.written() == 1U);

    const auto f = read_ok(r, 100, 1);
    BOOST_TEST(f.data == seg.ring() + 16);
    BOOST_TEST(r.read_pos() == 116U);
    BOOST_TEST(seg.read_pos() == 116U);
    BOOST_TEST(seg.read_count() == 1U);
    BOOST_TEST(r.expected_sequence() == 2U);
    // Reading does not free space; releasing does.
    BOOST_TEST(seg.free_bytes() == 1024U - 116U);
    const auto ret = r.release_frame(f);
    BOOST_TEST(ret.bytes == 116U);
    BOOST_TEST(ret.frames == 1U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(a_reservation_is_invisible_until_committed)
{
    test_segment seg;
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(50, data));
    BOOST_TEST(seg.write_pos() == 0U);
    BOOST_TEST(seg.free_bytes() == 1024U);
    BOOST_TEST(seg.written() == 0U);
    BOOST_TEST(!r.has_unread_bytes());
    patterns::fill_frame(data, 1);
    w.commit();
    BOOST_TEST(r.has_unread_bytes());
    read_ok(r, 50, 1);
    BOOST_TEST(!r.has_unread_bytes());
}

BOOST_AUTO_TEST_CASE(engines_continue_at_the_oieb_positions)
{
    test_segment seg;
    seg.set(zp::oieb_field::payload_write_pos, 500);
    seg.set(zp::oieb_field::payload_read_pos, 500);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    BOOST_TEST(w.write_pos() == 500U);
    BOOST_TEST(r.read_pos() == 500U);
    write_ok(w, 10);
    BOOST_TEST(zp::load_header(seg.ring() + 500).payload_size == 10U);
    read_ok(r, 10, 1);
    BOOST_TEST(seg.read_pos() == 526U);
}

BOOST_AUTO_TEST_CASE(many_frames_across_many_wraps)
{
    // CONFORMANCE 1.5, 1.6, 4.5, 4.6, 5.3: mixed sizes, tens of thousands of frames,
    // every kind of wrap; free bytes return to the ring size at the end.
    constexpr std::uint64_t ring_size = 1024;
    constexpr std::uint64_t frame_count = 30000;
    test_segment seg(ring_size);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    lcg rng(12345);
    std::deque<std::uint64_t> unread;     // sizes of committed, unread frames
    std::deque<zp::delivered_frame> held; // read, not yet released
    std::uint64_t next_to_read = 1;
    std::uint64_t markers = 0;
    std::uint64_t short_tails = 0;
    std::uint64_t exact_ends = 0;

    const auto largest = zp::largest_frame_always_fits(ring_size);
    std::uint64_t written = 0;
    while (next_to_read <= frame_count) {
        // The writer writes until the ring is full (or it is done).
        while (written < frame_count) {
            // Mostly random sizes; sometimes exactly the rest of the ring, or
            // just too much for it, to provoke exact ends and short tails.
            std::uint64_t n = 1 + rng(largest);
            const std::uint64_t to_end = ring_size - w.write_pos();
            const auto pick = rng(8);
            if (pick == 0 && to_end > 16 && to_end - 16 <= largest) {
                n = to_end - 16;
            } else if (pick == 1 && to_end > 16 + 8 && to_end - 16 - 8 <= largest) {
                n = to_end - 16 - 1 - rng(8); // leaves 1..8 bytes
            }
            zp::write_placement p;
            BOOST_TEST_REQUIRE(!zp::place_frame(ring_size, w.write_pos(), n, p));
            const auto ec = write(w, n);
            if (ec == errc::buffer_full) {
                break;
            }
            BOOST_TEST_REQUIRE(!ec, ec.message());
            markers += p.writes_marker ? 1 : 0;
            short_tails += p.wraps && !p.writes_marker && p.wasted_tail > 0 ? 1 : 0;
            exact_ends += w.write_pos() == ring_size ? 1 : 0;
            unread.push_back(n);
            ++written;
        }
        // The reader reads some of what is there, holds some across wraps, and
        // releases in any order.
        const auto to_read = unread.empty() ? 0 : 1 + rng(unread.size());
        for (std::uint64_t i = 0; i < to_read; ++i) {
            held.push_back(read_ok(r, unread.front(), next_to_read++));
            unread.pop_front();
        }
        const auto to_release = held.size() - std::min<std::uint64_t>(held.size(), rng(3));
        for (std::uint64_t i = 0; i < to_release; ++i) {
            const auto at = held.begin() + static_cast<std::ptrdiff_t>(rng(held.size()));
            // Still intact: the writer never wrote over a held frame.
            BOOST_TEST_REQUIRE(patterns::verify_frame({at->data, at->size}, at->sequence),
                               "held frame " << at->sequence << " was overwritten");
            r.release_frame(*at);
            held.erase(at);
        }
        BOOST_TEST_REQUIRE(seg.free_bytes() <= ring_size);
    }
    for (const auto& f : held) {
        r.release_frame(f);
    }
    BOOST_TEST(seg.free_bytes() == ring_size);
    BOOST_TEST(seg.written() == frame_count + markers);
    BOOST_TEST(seg.read_count() == seg.written());
    // The run covered every kind of wrap.
    BOOST_TEST(markers > 100U);
    BOOST_TEST(short_tails > 10U);
    BOOST_TEST(exact_ends > 10U);
}

BOOST_AUTO_TEST_CASE(releases_out_of_order_return_space_in_ring_order)
{
    // CONFORMANCE 6.2: a reader holding several frames releases them in any
    // order; space returns once every frame in front of it is released.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    for (int i = 0; i < 5; ++i) {
        write_ok(w, 100);
    }
    std::vector<zp::delivered_frame> frames;
    for (std::uint64_t s = 1; s <= 5; ++s) {
        frames.push_back(read_ok(r, 100, s));
    }
    BOOST_TEST(r.in_flight() == 5U);
    BOOST_TEST(seg.free_bytes() == 1024U - 5 * 116U);
    struct step {
        std::size_t index;
        std::uint64_t bytes;  // returned by this release
        std::uint64_t frames; // frames whose space returns with it
    };
    const step steps[] = {{3, 0, 0}, {1, 0, 0}, {4, 0, 0}, {0, 2 * 116, 2}, {2, 3 * 116, 3}};
    std::uint64_t expected_free = 1024 - 5 * 116;
    for (const auto& st : steps) {
        const auto ret = r.release_frame(frames[st.index]);
        BOOST_TEST(ret.bytes == st.bytes, "release of frame " << st.index + 1);
        BOOST_TEST(ret.frames == st.frames, "release of frame " << st.index + 1);
        expected_free += st.bytes;
        BOOST_TEST(seg.free_bytes() == expected_free, "after frame " << st.index + 1);
    }
    BOOST_TEST(seg.free_bytes() == 1024U);
    BOOST_TEST(r.in_flight() == 0U);

    // The whole ring is usable again: a frame that needs every free byte
    // (its 444-byte tail plus itself) fits.
    BOOST_TEST(w.write_pos() == 580U);
    write_ok(w, 564);
    BOOST_TEST(seg.free_bytes() == 0U);
    const auto last = read_ok(r, 564, 6);
    BOOST_TEST(seg.free_bytes() == 444U); // nothing held in front of the tail
    BOOST_TEST(r.release_frame(last).bytes == 580U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(release_by_ticket_and_twice)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 10);
    write_ok(w, 20);
    const auto f1 = read_ok(r, 10, 1);
    const auto f2 = read_ok(r, 20, 2);
    BOOST_TEST(f1.ticket != f2.ticket);
    BOOST_TEST(r.release_frame(f2.ticket).bytes == 0U);
    const auto ret = r.release_frame(f1.ticket);
    BOOST_TEST(ret.bytes == 26U + 36U);
    BOOST_TEST(ret.frames == 2U);
    // A second release of the same frame gives nothing back.
    BOOST_TEST(r.release_frame(f1).bytes == 0U);
    BOOST_TEST(r.release_frame(f2).bytes == 0U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(a_held_frame_survives_a_wrap_behind_it)
{
    // frame.hpp: a frame's bytes stay unchanged until it is released. Frame 2
    // lies just before a wrap; the reader holds it and reads on past the wrap.
    // The wasted tail behind frame 2 must not become writable before frame 2
    // is released: the writer would reach frame 2 before it reaches the tail.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 884); // [0, 900)
    r.release_frame(read_ok(r, 884, 1));
    write_ok(w, 84); // [900, 1000), 24 bytes left
    const auto held = read_ok(r, 84, 2);
    write_ok(w, 184); // marker at 1000, frame at [0, 200)
    const auto f3 = read_ok(r, 184, 3);
    // In ring order, released: nothing yet. Whatever the writer may write now
    // must stay out of [900, 1000).
    std::span<std::byte> data;
    const auto largest = zp::largest_frame_from(1024, w.write_pos());
    for (std::uint64_t n = largest; n > 0; --n) {
        if (!w.try_reserve(n, data)) {
            break;
        }
    }
    if (w.has_reservation()) {
        std::fill(data.begin(), data.end(), std::byte{0xEE});
        w.commit();
    }
    BOOST_TEST(patterns::verify_frame({held.data, held.size}, 2),
               "held frame 2 overwritten: the writer got " << data.size() << " bytes at "
                                                           << (data.data() - seg.ring()));
    r.release_frame(held);
    r.release_frame(f3);
}

BOOST_AUTO_TEST_CASE(a_held_frame_survives_the_release_of_later_frames)
{
    // frame.hpp: frames may be released in any order, and a held frame's bytes
    // stay unchanged. Four frames fill a 256-byte ring; the reader holds the
    // first and releases the other three.
    test_segment seg(256);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    for (int i = 0; i < 4; ++i) {
        write_ok(w, 48); // 64 bytes each
    }
    std::vector<zp::delivered_frame> frames;
    for (std::uint64_t s = 1; s <= 4; ++s) {
        frames.push_back(read_ok(r, 48, s));
    }
    for (std::size_t i = 1; i < 4; ++i) {
        r.release_frame(frames[i]);
    }
    // The only free bytes in ring order start after frame 1, which is held,
    // so from write_pos 256 (→ 0) nothing may be written over frame 1.
    std::span<std::byte> data;
    if (!w.try_reserve(48, data)) {
        std::fill(data.begin(), data.end(), std::byte{0xEE});
        w.commit();
    }
    BOOST_TEST(patterns::verify_frame({frames[0].data, frames[0].size}, 1),
               "held frame 1 overwritten");
    r.release_frame(frames[0]);
}

BOOST_AUTO_TEST_CASE(buffer_full_changes_nothing)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 484); // 500 bytes
    write_ok(w, 484); // 1000 bytes; 24 left
    const auto before = seg.copy();
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(9, data) == errc::buffer_full); // wraps: needs 24 + 25
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(w.next_sequence() == 3U);
    BOOST_TEST(w.write_pos() == 1000U);
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");

    // 8 bytes fit in place.
    write_ok(w, 8);
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(w.write_pos() == 1024U);
    const auto f1 = read_ok(r, 484, 1);
    read_ok(r, 484, 2);
    read_ok(r, 8, 3);
    r.release_frame(f1);
}

BOOST_AUTO_TEST_CASE(buffer_full_on_a_wrap_writes_no_marker)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 884); // 0..900
    const auto f1 = read_ok(r, 884, 1);
    r.release_frame(f1); // free 1024, write_pos 900
    write_ok(w, 84);     // 900..1000
    // 200 bytes wrap: the 24-byte tail plus 216 = 240 needed. Pretend the
    // reader holds most of the ring: enough free bytes for the frame alone,
    // not for the tail as well.
    seg.set(zp::oieb_field::payload_free_bytes, 230); // >= 216, < 240
    const auto before = seg.copy();
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(200, data) == errc::buffer_full);
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");
    seg.set(zp::oieb_field::payload_free_bytes, 240);
    write_ok(w, 200);
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(seg.written() == 4U); // 3 frames + 1 marker
    BOOST_TEST(zp::load_header(seg.ring() + 1000).payload_size == 0U);
}

BOOST_AUTO_TEST_CASE(frames_that_can_never_fit_are_refused_at_once)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(0, data) == errc::invalid_frame_size);
    BOOST_TEST(w.try_reserve(1024 - 15, data) == errc::frame_too_large);
    BOOST_TEST(w.try_reserve(std::numeric_limits<std::uint64_t>::max(), data) ==
               errc::frame_too_large);
    BOOST_TEST(!w.has_reservation());

    // From position 100 a 1000-byte frame needs 924 + 1016 bytes: never.
    write_ok(w, 84);
    const auto before = seg.copy();
    BOOST_TEST(w.try_reserve(1000, data) == errc::frame_too_large);
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");
    BOOST_TEST(w.next_sequence() == 2U);
    // The largest frame that fits from here is accepted.
    BOOST_TEST(zp::largest_frame_from(1024, 100) == 908U);
    BOOST_TEST(!w.try_reserve(908, data));
}

BOOST_AUTO_TEST_CASE(a_second_reservation_is_an_invalid_state)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(10, data));
    std::span<std::byte> other;
    BOOST_TEST(w.try_reserve(10, other) == errc::invalid_state);
    BOOST_TEST(w.has_reservation());
    patterns::fill_frame(data, 1);
    BOOST_TEST(w.commit() == 1U);
    BOOST_TEST(seg.write_pos() == 26U);
}

BOOST_AUTO_TEST_CASE(abandon_publishes_nothing)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    std::span<std::byte> data;
    BOOST_TEST_REQUIRE(!w.try_reserve(10, data));
    w.abandon();
    BOOST_TEST(!w.has_reservation());
    BOOST_TEST(w.next_sequence() == 1U);
    BOOST_TEST(seg.write_pos() == 0U);
    BOOST_TEST(seg.written() == 0U);
    BOOST_TEST(seg.free_bytes() == 1024U);
    write_ok(w, 20);
    read_ok(r, 20, 1);
}

BOOST_AUTO_TEST_CASE(free_bytes_beyond_the_ring_are_corruption)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    seg.set(zp::oieb_field::payload_free_bytes, 1025);
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(10, data) == errc::corrupted_buffer);
    BOOST_TEST(!w.has_reservation());
}

BOOST_AUTO_TEST_CASE(c5_3_wrap_with_a_marker_keeps_the_accounting_exact)
{
    // CONFORMANCE 4.5, 5.3: the wrap_marker vector's first wrap.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4000);
    r.release_frame(read_ok(r, 4000, 1));
    write_ok(w, 100);
    BOOST_TEST(w.write_pos() == 116U);
    BOOST_TEST(seg.written() == 3U); // frame, marker, frame
    BOOST_TEST(seg.free_bytes() == 4096U - 80U - 116U);
    const auto marker = zp::load_header(seg.ring() + 4016);
    BOOST_TEST(marker.payload_size == 0U);
    BOOST_TEST(marker.sequence == 0U);

    const auto f = read_ok(r, 100, 2);
    BOOST_TEST(seg.read_count() == 3U);           // the marker counts on both sides
    BOOST_TEST(seg.free_bytes() == 4096U - 116U); // the tail came back at once
    r.release_frame(f);
    BOOST_TEST(seg.free_bytes() == 4096U);
    BOOST_TEST(seg.read_pos() == seg.write_pos());
}

BOOST_AUTO_TEST_CASE(c5_3_wrap_with_a_short_tail_keeps_the_accounting_exact)
{
    // CONFORMANCE 4.5: the tail_lt16 vector, 8 bytes left and no marker.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4072);
    r.release_frame(read_ok(r, 4072, 1));
    BOOST_TEST(seg.read_pos() == 4088U);
    write_ok(w, 100);
    BOOST_TEST(seg.written() == 2U); // no marker, and the wrap is not counted
    BOOST_TEST(seg.free_bytes() == 4096U - 8U - 116U);
    BOOST_TEST(w.write_pos() == 116U);

    const auto f = read_ok(r, 100, 2);
    BOOST_TEST(seg.read_count() == 2U); // an implicit wrap is not counted
    BOOST_TEST(seg.free_bytes() == 4096U - 116U);
    r.release_frame(f);
    BOOST_TEST(seg.free_bytes() == 4096U);
}

BOOST_AUTO_TEST_CASE(short_tail_with_old_data_is_skipped)
{
    // The tail_lt16_dirty vector: the 8 bytes before the end hold old frame data.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4080);
    r.release_frame(read_ok(r, 4080, 1));
    write_ok(w, 4072);
    r.release_frame(read_ok(r, 4072, 2));
    write_ok(w, 100);
    BOOST_TEST(std::to_integer<int>(seg.ring()[4088]) != 0);
    r.release_frame(read_ok(r, 100, 3));
    BOOST_TEST(seg.free_bytes() == 4096U);
    BOOST_TEST(seg.written() == 3U);
    BOOST_TEST(seg.read_count() == 3U);
}

BOOST_AUTO_TEST_CASE(exact_end_leaves_write_pos_at_the_ring_size)
{
    // CONFORMANCE 4.4; the exact_end vector.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4080);
    BOOST_TEST(w.write_pos() == 4096U);
    BOOST_TEST(seg.write_pos() == 4096U); // as the C++ reference stores it
    BOOST_TEST(seg.free_bytes() == 0U);
    std::span<std::byte> data;
    BOOST_TEST(w.try_reserve(1, data) == errc::buffer_full);

    r.release_frame(read_ok(r, 4080, 1));
    BOOST_TEST(seg.free_bytes() == 4096U);
    write_ok(w, 100);
    BOOST_TEST(zp::load_header(seg.ring()).payload_size == 100U);
    BOOST_TEST(seg.written() == 2U);
    BOOST_TEST(seg.write_pos() == 116U);
    r.release_frame(read_ok(r, 100, 2));
    BOOST_TEST(seg.read_pos() == 116U);
    BOOST_TEST(seg.read_count() == 2U);
    BOOST_TEST(seg.free_bytes() == 4096U);
}

BOOST_AUTO_TEST_CASE(reader_at_the_ring_size_continues_at_0)
{
    test_segment seg(1024);
    seg.set(zp::oieb_field::payload_write_pos, 1024);
    seg.set(zp::oieb_field::payload_read_pos, 1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 30);
    BOOST_TEST(w.write_pos() == 46U);
    BOOST_TEST(seg.free_bytes() == 1024U - 46U);
    r.release_frame(read_ok(r, 30, 1));
    BOOST_TEST(seg.read_pos() == 46U);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(sequence_gap_is_reported_then_the_frame_found_is_delivered)
{
    // CONFORMANCE 5.2, 6.1: a header whose sequence was corrupted by hand.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 10); // 0..26
    write_ok(w, 20); // 26..62
    write_ok(w, 30); // 62..108
    zp::store_header(seg.ring() + 26, zp::frame_header{20, 7});

    read_ok(r, 10, 1);
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::sequence_error);
    BOOST_TEST(r.read_pos() == 26U); // nothing consumed
    BOOST_TEST(seg.read_pos() == 26U);
    BOOST_TEST(seg.read_count() == 1U);
    BOOST_TEST(r.expected_sequence() == 7U);
    BOOST_TEST_REQUIRE(!r.next(f));
    BOOST_TEST(f.sequence == 7U);
    BOOST_TEST(f.size == 20U);
    BOOST_TEST(seg.read_count() == 2U);
    // Frame 3 now looks like a gap backwards, and is delivered after the report.
    BOOST_TEST(r.next(f) == errc::sequence_error);
    BOOST_TEST(r.expected_sequence() == 3U);
    read_ok(r, 30, 3);
}

BOOST_AUTO_TEST_CASE(restart_and_set_expected_sequence)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    r.set_expected_sequence(5);
    BOOST_TEST(r.expected_sequence() == 5U);
    write_ok(w, 10);
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::sequence_error);
    r.restart_sequence();
    BOOST_TEST(r.expected_sequence() == 1U);
    read_ok(r, 10, 1);
}

BOOST_AUTO_TEST_CASE(header_beyond_the_ring_is_corruption_and_nothing_advances)
{
    // CONFORMANCE 5.1, 5.2.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 10);
    write_ok(w, 10);
    zp::store_header(seg.ring() + 26, zp::frame_header{1024, 2}); // 26 + 16 + 1024 > 1024
    r.release_frame(read_ok(r, 10, 1));
    const auto before = seg.copy();
    zp::delivered_frame f;
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(r.next(f) == errc::corrupted_buffer);
    }
    BOOST_TEST(r.read_pos() == 26U);
    BOOST_TEST(r.expected_sequence() == 2U);
    BOOST_TEST(zerobuffer::test_support::first_difference(before, seg.copy(), 64) == "");
}

BOOST_AUTO_TEST_CASE(read_position_beyond_the_ring_is_corruption)
{
    test_segment seg(1024);
    seg.set(zp::oieb_field::payload_read_pos, 1025);
    zp::ring_reader r(seg.view());
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::corrupted_buffer);
    BOOST_TEST(seg.free_bytes() == 1024U);
}

BOOST_AUTO_TEST_CASE(a_marker_at_position_0_is_corruption_and_frees_nothing)
{
    // A writer never puts a marker at 0 (every frame fits there). A reader
    // that finds one (e.g. a token without a frame: zeroed bytes) must not
    // loop, and must not give bytes back that were never taken.
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 100);
    r.release_frame(read_ok(r, 100, 1));
    zp::store_header(seg.ring(), zp::frame_header{0, 0});
    seg.set(zp::oieb_field::payload_read_pos, 0);
    zp::ring_reader r0(seg.view());
    r0.set_expected_sequence(2);
    zp::delivered_frame f;
    BOOST_TEST(r0.next(f) == errc::corrupted_buffer);
    BOOST_TEST(seg.free_bytes() <= 1024U);
}

BOOST_AUTO_TEST_CASE(has_unread_bytes_follows_the_positions)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    BOOST_TEST(!r.has_unread_bytes());
    write_ok(w, 100);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 100, 1));
    BOOST_TEST(!r.has_unread_bytes());
    // A short tail before the write position's wrap.
    write_ok(w, 1024 - 116 - 16 - 8); // ends 8 bytes before the end
    r.release_frame(read_ok(r, 1024 - 116 - 16 - 8, 2));
    BOOST_TEST(!r.has_unread_bytes());
    write_ok(w, 10);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 10, 3));
    BOOST_TEST(!r.has_unread_bytes());
}

BOOST_AUTO_TEST_CASE(has_unread_bytes_when_the_writer_stopped_before_a_short_tail)
{
    // The writer's last frame ends 8 bytes before the end; the reader is at 0
    // and has not read it. (The writer wraps only with its next frame.)
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 1000); // [0, 1016)
    BOOST_TEST(seg.write_pos() == 1016U);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 1000, 1));
    BOOST_TEST(!r.has_unread_bytes());
}

// A writer that follows PROTOCOL.md step by step gives the wrapped tail up
// (step 3) before it writes the frame at 0 (steps 4-5), where the last lap's
// frame still lies: the tail alone is not a frame to read.
BOOST_AUTO_TEST_CASE(a_tail_given_up_before_its_frame_is_not_a_frame)
{
    test_segment seg(1024);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 900); // [0, 916)
    r.release_frame(read_ok(r, 900, 1));
    BOOST_TEST(!r.has_unread_bytes());

    // Step 3 of a frame of 200 bytes: a marker at 916, its count, the tail.
    zp::store_header(seg.ring() + 916, zp::frame_header{0, 0});
    seg.set(zp::oieb_field::payload_written_count, seg.written() + 1);
    seg.set(zp::oieb_field::payload_free_bytes, seg.free_bytes() - (1024 - 916));
    seg.set(zp::oieb_field::payload_write_pos, 0);
    BOOST_TEST(!r.has_unread_bytes()); // frame 1's old header lies at 0

    // Steps 4-5: header and data at 0, then position, free bytes and count.
    zp::store_header(seg.ring(), zp::frame_header{200, 2});
    patterns::fill_frame({seg.ring() + zp::frame_header_size, 200}, 2);
    seg.set(zp::oieb_field::payload_write_pos, 216);
    seg.set(zp::oieb_field::payload_free_bytes, seg.free_bytes() - 216);
    seg.set(zp::oieb_field::payload_written_count, seg.written() + 1);
    BOOST_TEST(r.has_unread_bytes());
    r.release_frame(read_ok(r, 200, 2));
    BOOST_TEST(seg.free_bytes() == 1024U);
    BOOST_TEST(!r.has_unread_bytes());
}

// A read position from the OIEB beyond the ring (a corrupted image, a
// hostile peer) is never used to read: the check for a committed frame
// leaves it to next(), which reports the corruption.
BOOST_AUTO_TEST_CASE(has_unread_bytes_never_reads_outside_the_ring)
{
    test_segment seg(1024);
    seg.set(zp::oieb_field::payload_read_pos, 1024 + 4096);
    seg.set(zp::oieb_field::payload_free_bytes, 512);
    zp::ring_reader r(seg.view());
    BOOST_TEST(r.has_unread_bytes());
    zp::delivered_frame f;
    BOOST_TEST(r.next(f) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(has_unread_bytes_when_the_ring_is_full)
{
    // A full ring has write_pos == read_pos (modulo the exact end) and unread
    // frames: the positions alone cannot tell it from an empty ring.
    test_segment seg(4096);
    zp::ring_writer w(seg.view());
    zp::ring_reader r(seg.view());
    write_ok(w, 4080); // the exact_end vector: write_pos 4096, read_pos 0
    BOOST_TEST(seg.free_bytes() == 0U);
    BOOST_TEST(r.has_unread_bytes());

    test_segment seg2(256);
    zp::ring_writer w2(seg2.view());
    zp::ring_reader r2(seg2.view());
    write_ok(w2, 48);
    r2.release_frame(read_ok(r2, 48, 1)); // read_pos 64
    for (int i = 0; i < 4; ++i) {
        write_ok(w2, 48); // 64..128, 128..192, 192..256, 0..64
    }
    BOOST_TEST(seg2.free_bytes() == 0U);
    BOOST_TEST(seg2.write_pos() == seg2.read_pos());
    BOOST_TEST(r2.has_unread_bytes());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(release_order)

BOOST_AUTO_TEST_CASE(in_order_releases_return_at_once)
{
    zp::release_order order;
    BOOST_TEST(order.empty());
    const auto t1 = order.push_frame(100);
    const auto t2 = order.push_frame(50);
    BOOST_TEST(t2 == t1 + 1);
    BOOST_TEST(order.in_flight() == 2U);
    auto r = order.release(t1);
    BOOST_TEST(r.bytes == 100U);
    BOOST_TEST(r.frames == 1U);
    r = order.release(t2);
    BOOST_TEST(r.bytes == 50U);
    BOOST_TEST(r.frames == 1U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(a_tail_with_nothing_held_returns_at_once)
{
    zp::release_order order;
    BOOST_TEST(order.push_tail(80) == 80U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(a_tail_behind_a_held_frame_waits_for_it)
{
    zp::release_order order;
    const auto t1 = order.push_frame(100);
    BOOST_TEST(order.push_tail(80) == 0U);
    const auto t2 = order.push_frame(30);
    BOOST_TEST(order.in_flight() == 3U);
    auto r = order.release(t2);
    BOOST_TEST(r.bytes == 0U);
    BOOST_TEST(r.frames == 0U);
    r = order.release(t1);
    BOOST_TEST(r.bytes == 210U); // frame, tail, frame
    BOOST_TEST(r.frames == 2U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(unknown_and_repeated_tickets_return_nothing)
{
    zp::release_order order;
    const auto t1 = order.push_frame(10);
    const auto t2 = order.push_frame(20);
    BOOST_TEST(order.release(t2 + 5).bytes == 0U);
    BOOST_TEST(order.release(t2).bytes == 0U);
    BOOST_TEST(order.release(t2).bytes == 0U); // again, still held behind t1
    BOOST_TEST(order.release(t1).bytes == 30U);
    BOOST_TEST(order.release(t1).bytes == 0U);
    BOOST_TEST(order.release(t2).bytes == 0U);
    BOOST_TEST(order.empty());
}

BOOST_AUTO_TEST_CASE(many_items_in_any_order_return_every_byte_once)
{
    // More items than the initial capacity, with the oldest item in the middle
    // of the storage when it grows.
    zp::release_order order;
    lcg rng(7);
    std::uint64_t pushed_bytes = 0;
    std::uint64_t returned_bytes = 0;
    std::uint64_t returned_frames = 0;
    std::vector<std::uint64_t> first;
    for (std::uint64_t i = 0; i < 60; ++i) {
        first.push_back(order.push_frame(i + 1));
        pushed_bytes += i + 1;
    }
    for (std::size_t i = 0; i < 50; ++i) {
        const auto r = order.release(first[i]);
        returned_bytes += r.bytes;
        returned_frames += r.frames;
    }
    BOOST_TEST(returned_frames == 50U);
    std::vector<std::uint64_t> tickets(first.begin() + 50, first.end());
    std::uint64_t frames = 60;
    for (std::uint64_t i = 0; i < 300; ++i) {
        if (i % 7 == 0) {
            const auto now = order.push_tail(1000);
            pushed_bytes += 1000;
            returned_bytes += now;
        } else {
            tickets.push_back(order.push_frame(i));
            pushed_bytes += i;
            ++frames;
        }
    }
    BOOST_TEST(order.in_flight() > 64U);
    // Shuffle, then release everything.
    for (std::size_t i = tickets.size(); i > 1; --i) {
        std::swap(tickets[i - 1], tickets[rng(i)]);
    }
    for (const auto t : tickets) {
        const auto r = order.release(t);
        returned_bytes += r.bytes;
        returned_frames += r.frames;
    }
    BOOST_TEST(order.empty());
    BOOST_TEST(returned_bytes == pushed_bytes);
    BOOST_TEST(returned_frames == frames);
}

BOOST_AUTO_TEST_SUITE_END()
