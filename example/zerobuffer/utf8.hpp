// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_UTF8_HPP
#define ZEROBUFFER_TOOL_UTF8_HPP

// UTF-8 checks for what the tool prints: metadata is shown as text only when it
// is UTF-8, and JSON strings must be UTF-8 (Boost.JSON writes a string's bytes
// as they are, and its parser rejects malformed UTF-8).

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace zerobuffer::tool {

/// True when `bytes` is well-formed UTF-8.
bool is_utf8(std::span<const std::byte> bytes) noexcept;

/// `s` itself when it is UTF-8; otherwise each byte of a malformed sequence
/// becomes the character of that value (Latin-1: 0xff is U+00FF), so that no
/// byte is lost and the result is UTF-8.
std::string utf8_or_latin1(std::string_view s);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_UTF8_HPP
