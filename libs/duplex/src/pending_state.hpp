// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_PENDING_STATE_HPP
#define ZEROBUFFER_DUPLEX_SRC_PENDING_STATE_HPP

// What a pending_request owns: its request's frame and its place in the
// order of its session's responses.

#include "response_slot.hpp"
#include "session.hpp"

#include <zerobuffer/frame.hpp>

#include <cstdint>
#include <memory>
#include <utility>

namespace zerobuffer::duplex::detail {

struct pending_state {
    pending_state(std::shared_ptr<session> s, frame req, std::uint64_t index)
        : owner(std::move(s)), request_frame(std::move(req)),
          slot(*owner, request_frame.sequence(), index)
    {
    }
    pending_state(const pending_state&) = delete;
    pending_state& operator=(const pending_state&) = delete;

    /// After the answer: gives the request's room back, commits what became
    /// ready, and tells the session this request is done.
    void complete() noexcept
    {
        request_frame.release();
        owner->drain();
        owner->task_done();
    }

    std::shared_ptr<session> owner;
    frame request_frame;
    response_slot slot;
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_PENDING_STATE_HPP
