// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The writer's placement arithmetic and the two engines together, driven by
// the input as a script of writes, reads and releases in any order. Checks:
// placements stay inside the ring, every delivered frame carries exactly the
// bytes written (never overwritten while held), sequences are consecutive, and
// the free bytes return to the ring size once everything is released.

#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/protocol/ring.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>

#include <cstdlib>
#include <deque>
#include <vector>

using namespace zerobuffer::protocol;

namespace {

void check(bool ok)
{
    if (!ok) {
        std::abort();
    }
}

std::byte fill(std::uint64_t seq, std::uint64_t i)
{
    return static_cast<std::byte>((seq * 131 + i) & 0xffU);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 2) {
        return 0;
    }
    const std::uint64_t ring_size = 64 * (1 + data[0] % 64); // 64 .. 4096
    segment_layout layout{0, ring_size};
    std::vector<std::uint64_t> storage(layout.segment_size() / 8);
    segment_view seg{reinterpret_cast<std::byte*>(storage.data()), layout};
    initialize_oieb(seg.oieb(), layout, 1);
    ring_writer writer(seg);
    ring_reader reader(seg);
    std::vector<delivered_frame> held;
    std::uint64_t written = 0;
    std::uint64_t read = 0;

    for (std::size_t i = 1; i + 1 < size; i += 2) {
        const std::uint8_t op = data[i];
        const std::uint8_t arg = data[i + 1];
        switch (op % 3) {
        case 0: { // write
            const std::uint64_t n = 1 + (std::uint64_t{arg} * 17 + op) % ring_size;
            write_placement p;
            if (!place_frame(ring_size, writer.write_pos(), n, p)) {
                check(p.space_needed <= ring_size);
                check(p.header_pos + frame_header_size + n <= ring_size);
            }
            std::span<std::byte> area;
            const auto ec = writer.try_reserve(n, area);
            if (ec) {
                check(ec == zerobuffer::errc::buffer_full ||
                      ec == zerobuffer::errc::frame_too_large);
                break;
            }
            check(area.data() >= seg.ring().data() &&
                  area.data() + area.size() <= seg.ring().data() + ring_size);
            for (std::uint64_t k = 0; k < n; ++k) {
                area[k] = fill(written + 1, k);
            }
            check(writer.commit() == ++written);
            break;
        }
        case 1: { // read
            if (read == written) {
                break;
            }
            delivered_frame f;
            check(!reader.next(f));
            check(f.sequence == ++read);
            held.push_back(f);
            break;
        }
        case 2: // release one of the held frames, checking it was not overwritten
            if (!held.empty()) {
                const std::size_t pick = arg % held.size();
                const delivered_frame f = held[pick];
                for (std::uint64_t k = 0; k < f.size; ++k) {
                    check(f.data[k] == fill(f.sequence, k));
                }
                reader.release_frame(f);
                held.erase(held.begin() + static_cast<std::ptrdiff_t>(pick));
            }
            break;
        }
    }
    for (const auto& f : held) {
        for (std::uint64_t k = 0; k < f.size; ++k) {
            check(f.data[k] == fill(f.sequence, k));
        }
        reader.release_frame(f);
    }
    while (read < written) {
        delivered_frame f;
        check(!reader.next(f));
        check(f.sequence == ++read);
        reader.release_frame(f);
    }
    // Everything read and released: the whole ring is free again, whatever
    // wraps happened (a wrap is accounted by the frame after it).
    check(!reader.has_unread_bytes());
    check(reader.in_flight() == 0);
    check(take_snapshot(seg.oieb()).payload_free_bytes == ring_size);
    return 0;
}
