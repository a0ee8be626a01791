// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Metadata as a peer may have written it: any block content and any written
// count. The parsed span must lie inside the block, and writing then parsing
// must round-trip.

#include <zerobuffer/protocol/metadata.hpp>
#include <zerobuffer/protocol/oieb.hpp>

#include <cstdlib>
#include <cstring>
#include <vector>

using namespace zerobuffer::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 8) {
        return 0;
    }
    std::uint64_t written = 0;
    std::memcpy(&written, data, 8);
    std::vector<std::byte> block(size - 8);
    if (!block.empty()) {
        std::memcpy(block.data(), data + 8, block.size());
    }

    boost::system::error_code ec;
    const auto md = parse_metadata(block, written, ec);
    if (!md.empty() &&
        (md.data() < block.data() || md.data() + md.size() > block.data() + block.size())) {
        std::abort();
    }

    // Round trip: the block's bytes as content into a block of the same size.
    std::vector<std::uint64_t> oieb_storage(oieb_size / 8);
    const oieb_ref oieb(reinterpret_cast<std::byte*>(oieb_storage.data()));
    std::vector<std::byte> target(block.size());
    const std::span<const std::byte> content(block.data(), block.size() / 2);
    if (!write_metadata(oieb, target, content)) {
        const auto back = parse_metadata(
            target, oieb.load(oieb_field::metadata_written_bytes, std::memory_order_acquire), ec);
        if (ec || back.size() != content.size() ||
            (!content.empty() && std::memcmp(back.data(), content.data(), content.size()) != 0)) {
            std::abort();
        }
    }
    return 0;
}
