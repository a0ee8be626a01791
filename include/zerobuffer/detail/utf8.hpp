// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_UTF8_HPP
#define ZEROBUFFER_DETAIL_UTF8_HPP

/// @file
/// The one UTF-8 decoder of the project: buffer names must be UTF-8
/// (validate_name), and the tool prints metadata and JSON strings as UTF-8.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zerobuffer::detail {

/// Length of the UTF-8 sequence starting at `s[i]` (precondition: i <
/// s.size()); 0 when it is malformed: a stray or missing continuation byte,
/// an overlong form, a surrogate or a value past U+10FFFF.
constexpr std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
        return 1;
    } else if ((c & 0xe0U) == 0xc0U) {
        len = 2;
        cp = c & 0x1fU;
    } else if ((c & 0xf0U) == 0xe0U) {
        len = 3;
        cp = c & 0x0fU;
    } else if ((c & 0xf8U) == 0xf0U) {
        len = 4;
        cp = c & 0x07U;
    } else {
        return 0;
    }
    if (len > s.size() - i) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xc0U) != 0x80U) {
            return 0;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3fU);
    }
    constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_UTF8_HPP
