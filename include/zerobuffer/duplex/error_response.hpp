// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_ERROR_RESPONSE_HPP
#define ZEROBUFFER_DUPLEX_ERROR_RESPONSE_HPP

/// @file
/// The response our server sends for a request its handler failed: the
/// channel keeps exactly one response per request (PROTOCOL.md section 8),
/// and our client recognizes it.
///
/// The wire format has no field for it, so the payload says it: the 16 bytes
/// "\0zerobuffer-err\x01", then the error's text (UTF-8, at most
/// `max_error_text` bytes). A reference client receives it as an ordinary
/// response and stays in step; ours reports `handler_failed` for that
/// request. A handler whose own response starts with those 16 bytes would be
/// taken for a failure: no test pattern or text does.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace zerobuffer::duplex {

/// The first 16 bytes of an error response.
inline constexpr std::string_view error_response_magic{"\0zerobuffer-err\x01", 16};

/// The longest error text an error response carries (longer ones are cut).
inline constexpr std::size_t max_error_text = 1024;

/// The payload of an error response carrying `text` (cut to `max_error_text`).
std::vector<std::byte> make_error_response(std::string_view text);

/// Whether `payload` is an error response.
bool is_error_response(std::span<const std::byte> payload) noexcept;

/// The error text of an error response; empty for any other payload.
std::string_view error_response_text(std::span<const std::byte> payload) noexcept;

} // namespace zerobuffer::duplex

#endif // ZEROBUFFER_DUPLEX_ERROR_RESPONSE_HPP
