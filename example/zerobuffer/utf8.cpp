// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "utf8.hpp"

#include <cstdint>

namespace zerobuffer::tool {

namespace {

/// Length of the UTF-8 sequence at `p` (0 when malformed: a stray or missing
/// continuation byte, an overlong form, a surrogate or a value past U+10FFFF).
std::size_t utf8_length(const unsigned char* p, std::size_t left) noexcept
{
    const unsigned char c = p[0];
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
        return 1;
    }
    if ((c & 0xe0U) == 0xc0U) {
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
    if (len > left) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        if ((p[k] & 0xc0U) != 0x80U) {
            return 0;
        }
        cp = (cp << 6) | (p[k] & 0x3fU);
    }
    static constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

} // namespace

bool is_utf8(std::span<const std::byte> bytes) noexcept
{
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t len = utf8_length(p + i, bytes.size() - i);
        if (len == 0) {
            return false;
        }
        i += len;
    }
    return true;
}

std::string utf8_or_latin1(std::string_view s)
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t len = utf8_length(p + i, s.size() - i);
        if (len == 0) {
            // U+0080..U+00FF in two bytes (a malformed byte is never ASCII).
            out += static_cast<char>(0xc0U | (p[i] >> 6));
            out += static_cast<char>(0x80U | (p[i] & 0x3fU));
            ++i;
        } else {
            out.append(s.data() + i, len);
            i += len;
        }
    }
    return out;
}

} // namespace zerobuffer::tool
