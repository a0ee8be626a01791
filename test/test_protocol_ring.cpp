// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Suite for protocol/ring.hpp: where frames go and what the reader finds,
// on plain byte arrays (PROTOCOL.md section 5; CONFORMANCE 3.4, 4.4, 4.5, 5.2).

#define BOOST_TEST_MODULE protocol_ring
#include <boost/test/unit_test.hpp>

#include <zerobuffer/protocol/ring.hpp>

#include <cstdint>
#include <limits>
#include <ostream>
#include <span>
#include <stdexcept>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace zp = zerobuffer::protocol;
using zerobuffer::errc;

namespace zerobuffer::protocol {
// Lets BOOST_TEST print the step kinds it compares.
inline std::ostream& boost_test_print_type(std::ostream& out, read_step_kind k)
{
    static constexpr const char* names[] = {"frame", "wrap_marker", "implicit_wrap", "corrupted",
                                            "sequence_gap"};
    const auto i = static_cast<std::size_t>(k);
    return out << (i < std::size(names) ? names[i] : "?");
}
} // namespace zerobuffer::protocol

namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t ring_size = 4096;

// A ring of exactly `size` bytes with an inaccessible page right before and
// right after it: any read outside the ring crashes the test.
class guarded_ring {
public:
    explicit guarded_ring(std::size_t size)
        : page_(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))),
          inner_((size + page_ - 1) / page_ * page_), total_(inner_ + 2 * page_), size_(size)
    {
        void* p =
            ::mmap(nullptr, total_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            throw std::runtime_error("mmap failed");
        }
        base_ = static_cast<std::byte*>(p);
        if (::mprotect(base_, page_, PROT_NONE) != 0 ||
            ::mprotect(base_ + page_ + inner_, page_, PROT_NONE) != 0) {
            ::munmap(base_, total_);
            throw std::runtime_error("mprotect failed");
        }
    }
    guarded_ring(const guarded_ring&) = delete;
    guarded_ring& operator=(const guarded_ring&) = delete;
    ~guarded_ring() { ::munmap(base_, total_); }

    // The ring ends exactly where the trailing guard page begins.
    std::span<std::byte> span() const noexcept { return {base_ + page_ + inner_ - size_, size_}; }

private:
    std::size_t page_;
    std::size_t inner_;
    std::size_t total_;
    std::size_t size_;
    std::byte* base_ = nullptr;
};

zp::write_placement place(std::uint64_t ring, std::uint64_t write_pos, std::uint64_t n)
{
    zp::write_placement out;
    const auto ec = zp::place_frame(ring, write_pos, n, out);
    BOOST_TEST_REQUIRE(!ec, "place_frame(" << ring << ", " << write_pos << ", " << n
                                           << "): " << ec.message());
    return out;
}

boost::system::error_code place_error(std::uint64_t ring, std::uint64_t write_pos, std::uint64_t n)
{
    zp::write_placement out;
    return zp::place_frame(ring, write_pos, n, out);
}

void put_header(std::span<std::byte> ring, std::uint64_t pos, std::uint64_t size,
                std::uint64_t sequence)
{
    zp::store_header(ring.data() + pos, zp::frame_header{size, sequence});
}

} // namespace

BOOST_AUTO_TEST_SUITE(ring)

BOOST_AUTO_TEST_CASE(header_is_two_little_endian_u64_at_any_alignment)
{
    std::vector<std::byte> bytes(40, std::byte{0xFF});
    zp::store_header(bytes.data() + 3, zp::frame_header{0x0102, 0x0A0B0C});
    BOOST_TEST(std::to_integer<int>(bytes[2]) == 0xFF);
    BOOST_TEST(std::to_integer<int>(bytes[3]) == 0x02);
    BOOST_TEST(std::to_integer<int>(bytes[4]) == 0x01);
    BOOST_TEST(std::to_integer<int>(bytes[5]) == 0x00);
    BOOST_TEST(std::to_integer<int>(bytes[11]) == 0x0C);
    BOOST_TEST(std::to_integer<int>(bytes[12]) == 0x0B);
    BOOST_TEST(std::to_integer<int>(bytes[13]) == 0x0A);
    BOOST_TEST(std::to_integer<int>(bytes[18]) == 0x00);
    BOOST_TEST(std::to_integer<int>(bytes[19]) == 0xFF);
    const auto h = zp::load_header(bytes.data() + 3);
    BOOST_TEST(h.payload_size == 0x0102U);
    BOOST_TEST(h.sequence == 0x0A0B0CU);
}

// --- place_frame ---------------------------------------------------------

BOOST_AUTO_TEST_CASE(place_a_frame_that_fits)
{
    const auto p = place(ring_size, 0, 100);
    BOOST_TEST(p.header_pos == 0U);
    BOOST_TEST(p.space_needed == 116U);
    BOOST_TEST(p.wasted_tail == 0U);
    BOOST_TEST(!p.wraps);
    BOOST_TEST(!p.writes_marker);

    const auto mid = place(ring_size, 1149, 1000);
    BOOST_TEST(mid.header_pos == 1149U);
    BOOST_TEST(mid.space_needed == 1016U);
    BOOST_TEST(!mid.wraps);
}

BOOST_AUTO_TEST_CASE(place_a_frame_that_fits_exactly_to_the_end)
{
    const auto p = place(ring_size, 4000, 80);
    BOOST_TEST(p.header_pos == 4000U);
    BOOST_TEST(p.space_needed == 96U);
    BOOST_TEST(p.wasted_tail == 0U);
    BOOST_TEST(!p.wraps);
    BOOST_TEST(!p.writes_marker);

    const auto whole = place(ring_size, 0, ring_size - 16);
    BOOST_TEST(whole.header_pos == 0U);
    BOOST_TEST(whole.space_needed == ring_size);
    BOOST_TEST(!whole.wraps);
}

BOOST_AUTO_TEST_CASE(place_a_frame_that_wraps_with_a_marker)
{
    // wrap_marker vector: 80 bytes left after the 4000-byte frame.
    const auto p = place(ring_size, 4016, 100);
    BOOST_TEST(p.wraps);
    BOOST_TEST(p.writes_marker);
    BOOST_TEST(p.header_pos == 0U);
    BOOST_TEST(p.wasted_tail == 80U);
    BOOST_TEST(p.space_needed == 80U + 116U);
}

BOOST_AUTO_TEST_CASE(place_a_frame_that_wraps_with_a_tail_of_exactly_16)
{
    const auto p = place(ring_size, 4080, 100);
    BOOST_TEST(p.wraps);
    BOOST_TEST(p.writes_marker);
    BOOST_TEST(p.wasted_tail == 16U);
    BOOST_TEST(p.space_needed == 16U + 116U);
    BOOST_TEST(p.header_pos == 0U);
}

BOOST_AUTO_TEST_CASE(place_a_frame_that_wraps_with_a_tail_shorter_than_a_header)
{
    for (std::uint64_t tail = 1; tail < 16; ++tail) {
        const auto p = place(ring_size, ring_size - tail, 100);
        BOOST_TEST(p.wraps, "tail " << tail);
        BOOST_TEST(!p.writes_marker, "tail " << tail);
        BOOST_TEST(p.wasted_tail == tail);
        BOOST_TEST(p.space_needed == tail + 116);
        BOOST_TEST(p.header_pos == 0U);
    }
}

BOOST_AUTO_TEST_CASE(place_from_the_exact_end_is_a_wrap_with_no_tail)
{
    // The C++ reference leaves write_pos == payload_size after an exact fit.
    const auto p = place(ring_size, ring_size, 100);
    BOOST_TEST(p.wraps);
    BOOST_TEST(!p.writes_marker);
    BOOST_TEST(p.wasted_tail == 0U);
    BOOST_TEST(p.space_needed == 116U);
    BOOST_TEST(p.header_pos == 0U);

    // The whole ring is available again from there.
    const auto whole = place(ring_size, ring_size, ring_size - 16);
    BOOST_TEST(whole.space_needed == ring_size);
    BOOST_TEST(whole.header_pos == 0U);
}

BOOST_AUTO_TEST_CASE(place_refuses_an_empty_frame)
{
    BOOST_TEST(place_error(ring_size, 0, 0) == errc::invalid_frame_size);
    BOOST_TEST(place_error(ring_size, 4088, 0) == errc::invalid_frame_size);
}

BOOST_AUTO_TEST_CASE(place_refuses_a_write_position_beyond_the_ring)
{
    BOOST_TEST(place_error(ring_size, ring_size + 1, 1) == errc::corrupted_buffer);
    BOOST_TEST(place_error(ring_size, u64_max, 1) == errc::corrupted_buffer);
}

BOOST_AUTO_TEST_CASE(place_refuses_a_frame_larger_than_the_ring)
{
    BOOST_TEST(place_error(ring_size, 0, ring_size - 15) == errc::frame_too_large);
    BOOST_TEST(place_error(ring_size, 0, ring_size) == errc::frame_too_large);
    BOOST_TEST(place_error(ring_size, 0, ring_size + 1) == errc::frame_too_large);
    // Sizes whose total would overflow a u64.
    BOOST_TEST(place_error(ring_size, 0, u64_max) == errc::frame_too_large);
    BOOST_TEST(place_error(ring_size, 0, u64_max - 15) == errc::frame_too_large);
    BOOST_TEST(place_error(ring_size, 2000, u64_max - 15) == errc::frame_too_large);
}

BOOST_AUTO_TEST_CASE(place_refuses_a_frame_that_fits_from_0_but_not_from_here)
{
    // 3516 bytes in all: 3096 left to the end, and 3096 + 3516 > 4096.
    BOOST_TEST(place_error(ring_size, 1000, 3500) == errc::frame_too_large);
    BOOST_TEST(place(ring_size, 0, 3500).space_needed == 3516U);
    // The frame filling the whole ring fits only from 0 (or the exact end).
    BOOST_TEST(place_error(ring_size, 1, ring_size - 16) == errc::frame_too_large);
    BOOST_TEST(place_error(ring_size, ring_size - 1, ring_size - 16) == errc::frame_too_large);
}

BOOST_AUTO_TEST_CASE(largest_frame_from_known_positions)
{
    BOOST_TEST(zp::largest_frame_from(ring_size, 0) == 4080U);
    BOOST_TEST(zp::largest_frame_from(ring_size, ring_size) == 4080U);
    BOOST_TEST(zp::largest_frame_from(ring_size, 1000) == 3080U);
    BOOST_TEST(zp::largest_frame_from(ring_size, 2048) == 2032U);
    BOOST_TEST(zp::largest_frame_from(ring_size, 3000) == 2984U);
    BOOST_TEST(zp::largest_frame_from(ring_size, 4088) == 4072U);
    BOOST_TEST(zp::largest_frame_from(ring_size, ring_size + 1) == 0U);
    BOOST_TEST(zp::largest_frame_from(32, 16) == 0U);
    BOOST_TEST(zp::largest_frame_from(64, 32) == 16U);
}

BOOST_AUTO_TEST_CASE(largest_frame_from_is_the_exact_limit_of_place_frame)
{
    for (std::uint64_t ring : {32U, 64U, 128U, 192U, 1024U}) {
        for (std::uint64_t pos = 0; pos <= ring; ++pos) {
            const auto largest = zp::largest_frame_from(ring, pos);
            if (largest > 0) {
                zp::write_placement p;
                BOOST_TEST_REQUIRE(!zp::place_frame(ring, pos, largest, p),
                                   "ring " << ring << " pos " << pos);
                BOOST_TEST_REQUIRE(p.space_needed <= ring);
            }
            BOOST_TEST_REQUIRE(place_error(ring, pos, largest + 1) == errc::frame_too_large,
                               "ring " << ring << " pos " << pos << " largest " << largest);
        }
    }
}

BOOST_AUTO_TEST_CASE(largest_frame_always_fits_values)
{
    BOOST_TEST(zp::largest_frame_always_fits(4096) == 2032U);
    BOOST_TEST(zp::largest_frame_always_fits(64) == 16U);
    BOOST_TEST(zp::largest_frame_always_fits(33) == 0U);
    BOOST_TEST(zp::largest_frame_always_fits(32) == 0U);
    BOOST_TEST(zp::largest_frame_always_fits(16) == 0U);
    BOOST_TEST(zp::largest_frame_always_fits(0) == 0U);
    static_assert(zp::largest_frame_always_fits(128) == 48);
}

BOOST_AUTO_TEST_CASE(largest_frame_always_fits_from_every_position_and_is_the_largest)
{
    for (std::uint64_t ring : {64U, 128U, 1024U, 4096U}) {
        const auto always = zp::largest_frame_always_fits(ring);
        bool some_position_refuses_more = false;
        for (std::uint64_t pos = 0; pos <= ring; ++pos) {
            zp::write_placement p;
            BOOST_TEST_REQUIRE(!zp::place_frame(ring, pos, always, p),
                               "ring " << ring << " pos " << pos);
            BOOST_TEST_REQUIRE(zp::largest_frame_from(ring, pos) >= always);
            some_position_refuses_more |= place_error(ring, pos, always + 1).failed();
        }
        BOOST_TEST(some_position_refuses_more, "ring " << ring);
    }
}

// --- next_read_step ------------------------------------------------------

BOOST_AUTO_TEST_CASE(read_a_frame)
{
    guarded_ring r(ring_size);
    put_header(r.span(), 0, 100, 1);
    const auto s = zp::next_read_step(r.span(), 0, 1);
    BOOST_TEST(s.kind == zp::read_step_kind::frame);
    BOOST_TEST(s.pos == 0U);
    BOOST_TEST(s.header.payload_size == 100U);
    BOOST_TEST(s.header.sequence == 1U);
    BOOST_TEST(s.next_read_pos == 116U);
    BOOST_TEST(s.released_bytes == 116U);
    BOOST_TEST(s.tail_bytes == 0U);

    put_header(r.span(), 17, 1, 2);
    const auto t = zp::next_read_step(r.span(), 17, 2);
    BOOST_TEST(t.kind == zp::read_step_kind::frame);
    BOOST_TEST(t.pos == 17U);
    BOOST_TEST(t.next_read_pos == 34U);
    BOOST_TEST(t.released_bytes == 17U);
}

BOOST_AUTO_TEST_CASE(read_a_frame_ending_exactly_at_the_end)
{
    guarded_ring r(ring_size);
    put_header(r.span(), 4000, 80, 9);
    const auto s = zp::next_read_step(r.span(), 4000, 9);
    BOOST_TEST(s.kind == zp::read_step_kind::frame);
    BOOST_TEST(s.released_bytes == 96U);
    // PROTOCOL.md: read_pos advances by 16 + n modulo the ring size.
    BOOST_TEST(s.next_read_pos == 0U);

    put_header(r.span(), 0, ring_size - 16, 1);
    const auto whole = zp::next_read_step(r.span(), 0, 1);
    BOOST_TEST(whole.kind == zp::read_step_kind::frame);
    BOOST_TEST(whole.released_bytes == ring_size);
    BOOST_TEST(whole.next_read_pos == 0U);
}

BOOST_AUTO_TEST_CASE(read_a_wrap_marker)
{
    guarded_ring r(ring_size);
    put_header(r.span(), 4016, 0, 0);
    const auto s = zp::next_read_step(r.span(), 4016, 2);
    BOOST_TEST(s.kind == zp::read_step_kind::wrap_marker);
    BOOST_TEST(s.pos == 4016U);
    BOOST_TEST(s.tail_bytes == 80U);
    BOOST_TEST(s.next_read_pos == 0U);

    // A marker in the last 16 bytes.
    put_header(r.span(), 4080, 0, 0);
    const auto t = zp::next_read_step(r.span(), 4080, 2);
    BOOST_TEST(t.kind == zp::read_step_kind::wrap_marker);
    BOOST_TEST(t.tail_bytes == 16U);
    BOOST_TEST(t.next_read_pos == 0U);
}

BOOST_AUTO_TEST_CASE(read_an_implicit_wrap_before_a_short_tail)
{
    guarded_ring r(ring_size);
    // The tail holds old, non-zero data (tail_lt16_dirty): it must not be read.
    for (auto& b : r.span()) {
        b = std::byte{0xE5};
    }
    for (std::uint64_t tail = 1; tail < 16; ++tail) {
        const auto s = zp::next_read_step(r.span(), ring_size - tail, 3);
        BOOST_TEST(s.kind == zp::read_step_kind::implicit_wrap, "tail " << tail);
        BOOST_TEST(s.tail_bytes == tail);
        BOOST_TEST(s.next_read_pos == 0U);
        BOOST_TEST(s.pos == ring_size - tail);
    }
}

BOOST_AUTO_TEST_CASE(read_position_equal_to_the_ring_size_means_0)
{
    guarded_ring r(ring_size);
    put_header(r.span(), 0, 100, 2);
    const auto s = zp::next_read_step(r.span(), ring_size, 2);
    BOOST_TEST(s.kind == zp::read_step_kind::frame);
    BOOST_TEST(s.pos == 0U);
    BOOST_TEST(s.tail_bytes == 0U);
    BOOST_TEST(s.header.payload_size == 100U);
    BOOST_TEST(s.next_read_pos == 116U);
}

BOOST_AUTO_TEST_CASE(read_position_beyond_the_ring_is_corrupted)
{
    guarded_ring r(ring_size);
    BOOST_TEST(zp::next_read_step(r.span(), ring_size + 1, 1).kind ==
               zp::read_step_kind::corrupted);
    BOOST_TEST(zp::next_read_step(r.span(), u64_max, 1).kind == zp::read_step_kind::corrupted);
}

BOOST_AUTO_TEST_CASE(header_size_beyond_the_ring_is_corrupted)
{
    guarded_ring r(ring_size);
    put_header(r.span(), 4000, 81, 1); // one byte past the end
    BOOST_TEST(zp::next_read_step(r.span(), 4000, 1).kind == zp::read_step_kind::corrupted);
    put_header(r.span(), 0, ring_size - 15, 1);
    BOOST_TEST(zp::next_read_step(r.span(), 0, 1).kind == zp::read_step_kind::corrupted);
    put_header(r.span(), 0, ring_size * 2, 1);
    BOOST_TEST(zp::next_read_step(r.span(), 0, 1).kind == zp::read_step_kind::corrupted);
    // Sizes that overflow when the header and position are added.
    for (std::uint64_t size : {u64_max, u64_max - 15, u64_max - 4000}) {
        put_header(r.span(), 4000, size, 1);
        BOOST_TEST(zp::next_read_step(r.span(), 4000, 1).kind == zp::read_step_kind::corrupted,
                   "size " << size);
    }
    // A bad size is corruption even when the sequence is also wrong.
    put_header(r.span(), 16, ring_size, 99);
    BOOST_TEST(zp::next_read_step(r.span(), 16, 1).kind == zp::read_step_kind::corrupted);
}

BOOST_AUTO_TEST_CASE(unexpected_sequence_is_a_gap)
{
    guarded_ring r(ring_size);
    put_header(r.span(), 116, 10, 5);
    const auto ahead = zp::next_read_step(r.span(), 116, 3);
    BOOST_TEST(ahead.kind == zp::read_step_kind::sequence_gap);
    BOOST_TEST(ahead.header.sequence == 5U);
    BOOST_TEST(ahead.header.payload_size == 10U);
    BOOST_TEST(ahead.pos == 116U);

    BOOST_TEST(zp::next_read_step(r.span(), 116, 6).kind == zp::read_step_kind::sequence_gap);
    BOOST_TEST(zp::next_read_step(r.span(), 116, 5).kind == zp::read_step_kind::frame);
}

BOOST_AUTO_TEST_CASE(never_reads_outside_the_ring_at_any_position)
{
    // Every position, with the ring full of each kind of garbage: the guard
    // pages turn any stray read into a crash.
    for (std::uint8_t fill : {0x00, 0x01, 0xFF, 0x10}) {
        guarded_ring r(ring_size);
        for (auto& b : r.span()) {
            b = std::byte{fill};
        }
        for (std::uint64_t pos = 0; pos <= ring_size + 1; ++pos) {
            const auto s = zp::next_read_step(r.span(), pos, 1);
            if (s.kind == zp::read_step_kind::frame || s.kind == zp::read_step_kind::sequence_gap) {
                BOOST_TEST_REQUIRE(s.pos + 16 + s.header.payload_size <= ring_size);
            }
        }
    }
    // Headers whose frame ends exactly at the end, or one byte beyond it.
    guarded_ring r(ring_size);
    for (std::uint64_t pos = 0; pos + 16 < ring_size; ++pos) {
        const std::uint64_t fits = ring_size - pos - 16;
        put_header(r.span(), pos, fits, 1);
        const auto ok = zp::next_read_step(r.span(), pos, 1);
        BOOST_TEST_REQUIRE((ok.kind == zp::read_step_kind::frame ||
                            (fits == 0 && ok.kind == zp::read_step_kind::wrap_marker)),
                           "pos " << pos);
        put_header(r.span(), pos, fits + 1, 1);
        BOOST_TEST_REQUIRE(zp::next_read_step(r.span(), pos, 1).kind ==
                               zp::read_step_kind::corrupted,
                           "pos " << pos);
    }
}

BOOST_AUTO_TEST_CASE(a_small_ring_that_is_not_a_page)
{
    guarded_ring r(64);
    put_header(r.span(), 48, 0, 0);
    const auto m = zp::next_read_step(r.span(), 48, 1);
    BOOST_TEST(m.kind == zp::read_step_kind::wrap_marker);
    BOOST_TEST(m.tail_bytes == 16U);
    put_header(r.span(), 0, 48, 1);
    const auto f = zp::next_read_step(r.span(), 0, 1);
    BOOST_TEST(f.kind == zp::read_step_kind::frame);
    BOOST_TEST(f.released_bytes == 64U);
    BOOST_TEST(f.next_read_pos == 0U);
    put_header(r.span(), 0, 49, 1);
    BOOST_TEST(zp::next_read_step(r.span(), 0, 1).kind == zp::read_step_kind::corrupted);
}

BOOST_AUTO_TEST_SUITE_END()
