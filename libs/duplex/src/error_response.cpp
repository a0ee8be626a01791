// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/duplex/error_response.hpp>

#include <algorithm>
#include <cstring>

namespace zerobuffer::duplex {

std::vector<std::byte> make_error_response(std::string_view text)
{
    text = text.substr(0, max_error_text);
    std::vector<std::byte> payload(error_response_magic.size() + text.size());
    std::memcpy(payload.data(), error_response_magic.data(), error_response_magic.size());
    if (!text.empty()) {
        std::memcpy(payload.data() + error_response_magic.size(), text.data(), text.size());
    }
    return payload;
}

bool is_error_response(std::span<const std::byte> payload) noexcept
{
    return payload.size() >= error_response_magic.size() &&
           std::memcmp(payload.data(), error_response_magic.data(), error_response_magic.size()) ==
               0;
}

std::string_view error_response_text(std::span<const std::byte> payload) noexcept
{
    if (!is_error_response(payload)) {
        return {};
    }
    const auto text = payload.subspan(error_response_magic.size());
    return {reinterpret_cast<const char*>(text.data()), std::min(text.size(), max_error_text)};
}

std::string_view error_response_text(const frame& response) noexcept
{
    return response.valid() ? error_response_text(response.bytes()) : std::string_view{};
}

} // namespace zerobuffer::duplex
