// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "utf8.hpp"

#include <zerobuffer/detail/utf8.hpp>

namespace zerobuffer::tool {

bool is_utf8(std::span<const std::byte> bytes) noexcept
{
    const std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t len = detail::utf8_sequence_length(s, i);
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
        const std::size_t len = detail::utf8_sequence_length(s, i);
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
