// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_PROTOCOL_METADATA_HPP
#define ZEROBUFFER_PROTOCOL_METADATA_HPP

/// @file
/// The metadata block (PROTOCOL.md section 4): a u64 length and that many bytes.
/// Pure: no syscalls.

#include <zerobuffer/error.hpp>
#include <zerobuffer/protocol/oieb.hpp>

#include <cstddef>
#include <span>

namespace zerobuffer::protocol {

/// The metadata content without its length prefix, read from `block` (the whole
/// metadata block) given the OIEB's `metadata_written_bytes`. Empty when none was
/// written. `corrupted_buffer` when the written count or the prefix disagree with
/// the block; the result then is empty. Never reads outside `block`.
std::span<const std::byte> parse_metadata(std::span<const std::byte> block,
                                          std::uint64_t written_bytes,
                                          boost::system::error_code& ec) noexcept;

/// Stores `content` into the metadata block and publishes it in the OIEB
/// (written bytes with release ordering, after the content).
/// Errors: `metadata_already_written`, `metadata_too_large`; nothing changes then.
boost::system::error_code write_metadata(const oieb_ref& oieb, std::span<std::byte> block,
                                         std::span<const std::byte> content) noexcept;

} // namespace zerobuffer::protocol

#endif // ZEROBUFFER_PROTOCOL_METADATA_HPP
