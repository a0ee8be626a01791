// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_SRC_RESPONSE_SLOT_HPP
#define ZEROBUFFER_DUPLEX_SRC_RESPONSE_SLOT_HPP

// The response of one request, behind the `response_sink` its handler gets:
// exactly one response reaches the ring for it, in its turn.

#include "session.hpp"

#include <zerobuffer/duplex/request.hpp>
#include <zerobuffer/duplex/response_sink.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

namespace zerobuffer::duplex::detail {

using handler_function = std::function<void(const request&, response_sink&)>;

class response_slot {
public:
    /// A response written at once: nothing else writes responses meanwhile
    /// (the single-thread strategy).
    response_slot(session& s, std::uint64_t sequence) noexcept
        : session_(s), sequence_(sequence), ordered_(false)
    {
    }
    /// The response of admitted request `index`, committed in its turn.
    response_slot(session& s, std::uint64_t sequence, std::uint64_t index) noexcept
        : session_(s), sequence_(sequence), index_(index), ordered_(true)
    {
    }
    response_slot(const response_slot&) = delete;
    response_slot& operator=(const response_slot&) = delete;
    ~response_slot() { end_turn(); }

    /// Runs `handler` on `req` and sees that one response goes out for it:
    /// the handler's, or an error response when it threw or gave none.
    void run(const handler_function& handler, const request& req) noexcept;

    /// The answers of a pending request: `data` (or an error response when
    /// it cannot be written), or an error response carrying `reason`.
    void answer(std::span<const std::byte> data) noexcept;
    void fail(std::string_view reason) noexcept { finish(true, reason); }

    // What response_sink does.
    std::span<std::byte> get_buffer(std::size_t size);
    void commit();
    void write(std::span<const std::byte> data);

private:
    enum class state {
        none,     ///< nothing written yet
        reserved, ///< holds a reservation (and the turn)
        done,     ///< committed, parked or dropped
    };

    /// After the handler: commits what it reserved, or answers with an error
    /// response (`failure`, or "no response" when it gave none).
    void finish(bool threw, std::string_view failure) noexcept;
    /// Waits for the turn (ordered only).
    void take_turn();
    void end_turn() noexcept;
    /// Parks `data` when its turn has not come, else takes the turn.
    bool parked(std::span<const std::byte> data);

    session& session_;
    std::uint64_t sequence_;
    std::uint64_t index_ = 0;
    bool ordered_;
    bool holding_turn_ = false;
    state state_ = state::none;
};

} // namespace zerobuffer::duplex::detail

#endif // ZEROBUFFER_DUPLEX_SRC_RESPONSE_SLOT_HPP
