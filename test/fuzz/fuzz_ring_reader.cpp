// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The reader's view of a segment written by an untrusted peer: the input is a
// whole segment image (OIEB + metadata + ring). Whatever it holds, reading must
// stay inside the segment, and every delivered frame must lie inside the ring.

#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace zerobuffer::protocol;

namespace {

void check(bool ok)
{
    if (!ok) {
        std::abort();
    }
}

// Reads up to `max_frames` frames and releases them, in the order the input says.
void read_all(const segment_view& seg, const std::uint8_t* ops, std::size_t n_ops)
{
    ring_reader reader(seg);
    reader.set_expected_sequence(1);
    std::vector<delivered_frame> held;
    const std::byte* ring_begin = seg.ring().data();
    const std::byte* ring_end = ring_begin + seg.ring().size();
    for (std::size_t i = 0; i < 64; ++i) {
        const std::uint8_t op = i < n_ops ? ops[i] : 0;
        // The reader's look for a committed frame reads headers too: whatever
        // it answers, it must stay inside the ring.
        (void)reader.has_unread_bytes();
        delivered_frame f;
        const auto ec = reader.next(f);
        if (ec == zerobuffer::errc::sequence_error) {
            continue; // resynchronized: the next call delivers the frame found
        }
        if (ec) {
            break;
        }
        check(f.data >= ring_begin && f.data + f.size <= ring_end && f.size > 0);
        volatile std::byte sink{};
        for (std::uint64_t k = 0; k < f.size; k += 61) {
            sink = f.data[k];
        }
        (void)sink;
        held.push_back(f);
        if (op & 1U) {
            const std::size_t pick = (op >> 1U) % held.size();
            reader.release_frame(held[pick]);
            held.erase(held.begin() + static_cast<std::ptrdiff_t>(pick));
        }
    }
    for (const auto& f : held) {
        reader.release_frame(f);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < oieb_size) {
        return 0;
    }
    // The image in aligned memory, as a mapping would be.
    std::vector<std::uint64_t> storage((size + 7) / 8);
    std::memcpy(storage.data(), data, size);
    auto* base = reinterpret_cast<std::byte*>(storage.data());

    const oieb_ref oieb(base);
    const oieb_snapshot snap = take_snapshot(oieb);
    segment_layout layout;
    if (!validate_oieb(snap, size, layout)) {
        segment_view seg{base, layout};
        boost::system::error_code ec;
        const auto md = parse_metadata(seg.metadata_block(), snap.metadata_written_bytes, ec);
        check(md.empty() ||
              (md.data() >= seg.metadata_block().data() &&
               md.data() + md.size() <= seg.metadata_block().data() + seg.metadata_block().size()));
        read_all(seg, data, size);
        return 0;
    }
    // Not a valid OIEB: still read the bytes after it as a ring from position 0,
    // as a reader whose OIEB a peer damaged after creation would.
    const std::size_t ring_size = (size - oieb_size) / 64 * 64;
    if (ring_size == 0) {
        return 0;
    }
    initialize_oieb(oieb, segment_layout{0, ring_size}, 1);
    read_all(segment_view{base, segment_layout{0, ring_size}}, data, size);
    return 0;
}
