// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/protocol/metadata.hpp>

#include <cstring>

namespace zerobuffer::protocol {

std::span<const std::byte> parse_metadata(std::span<const std::byte> block,
                                          std::uint64_t written_bytes,
                                          boost::system::error_code& ec) noexcept
{
    ec = {};
    if (written_bytes == 0) {
        return {};
    }
    if (written_bytes < metadata_prefix_size || written_bytes > block.size()) {
        ec = errc::corrupted_buffer;
        return {};
    }
    std::uint64_t length = 0;
    std::memcpy(&length, block.data(), sizeof length);
    // The prefix must describe exactly what the OIEB says was written.
    if (length != written_bytes - metadata_prefix_size) {
        ec = errc::corrupted_buffer;
        return {};
    }
    return block.subspan(metadata_prefix_size, static_cast<std::size_t>(length));
}

boost::system::error_code write_metadata(const oieb_ref& oieb, std::span<std::byte> block,
                                         std::span<const std::byte> content) noexcept
{
    if (oieb.load(oieb_field::metadata_written_bytes, std::memory_order_acquire) != 0) {
        return errc::metadata_already_written;
    }
    const std::uint64_t length = content.size();
    if (length > block.size() || metadata_prefix_size + length > block.size()) {
        return errc::metadata_too_large;
    }
    std::memcpy(block.data(), &length, sizeof length);
    if (length != 0) {
        std::memcpy(block.data() + metadata_prefix_size, content.data(), content.size());
    }
    const std::uint64_t total = metadata_prefix_size + length;
    oieb.store(oieb_field::metadata_free_bytes, block.size() - total, std::memory_order_relaxed);
    // Release: a reader that sees the written count sees the content.
    oieb.store(oieb_field::metadata_written_bytes, total, std::memory_order_release);
    return {};
}

} // namespace zerobuffer::protocol
