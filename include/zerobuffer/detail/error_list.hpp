// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_ERROR_LIST_HPP
#define ZEROBUFFER_DETAIL_ERROR_LIST_HPP

/// @file
/// The one list of zerobuffer's error codes. `errc`, `to_string`, the category's
/// messages, the exception classes, `throw_error` and the `condition` mapping are
/// all generated from it (error.hpp, error.cpp), so they cannot drift apart.
///
/// `ZEROBUFFER_ERROR_LIST(X)` calls `X(name, value, message, condition)` once per
/// code:
/// - `name`: the `errc` enumerator, the exception class and the `to_string` text
///   (tools print it in JSON: never rename);
/// - `value`: the numeric value, written out so that no edit of the list can move
///   an existing one (a duplicate fails to compile: each one is a `case` label);
///   append new codes at the end with the next value;
/// - `message`: the category's `message()`;
/// - `condition`: the `zerobuffer::condition` the code belongs to, or `none`.

// clang-format off
#define ZEROBUFFER_ERROR_LIST(X)                                                                   \
    /* The writer process no longer exists. */                                                     \
    X(writer_dead,              1, "writer process died",                           peer_gone)     \
    /* The writer closed and every frame it committed was read. */                                 \
    X(writer_disconnected,      2, "writer disconnected",                           peer_gone)     \
    /* The reader process no longer exists. */                                                     \
    X(reader_dead,              3, "reader process died",                           peer_gone)     \
    /* No space was freed before the write timeout passed. */                                      \
    X(buffer_full,              4, "buffer full: no space freed before the write timeout", none)   \
    /* The frame can never be placed in this ring. */                                              \
    X(frame_too_large,          5, "frame too large for the ring",                  none)          \
    /* A frame of zero bytes was written. */                                                       \
    X(invalid_frame_size,       6, "invalid frame size (frames must not be empty)", none)          \
    /* A frame arrived with an unexpected sequence number. */                                      \
    X(sequence_error,           7, "unexpected frame sequence number",              none)          \
    /* Metadata is written at most once per buffer. */                                             \
    X(metadata_already_written, 8, "metadata already written",                      none)          \
    /* 8 + metadata length exceeds the metadata block. */                                          \
    X(metadata_too_large,       9, "metadata too large for the metadata block",     none)          \
    /* Shared memory holds values outside the protocol's ranges. */                                \
    X(corrupted_buffer,        10, "corrupted buffer: shared memory out of protocol range", none)  \
    /* The segment speaks another major protocol version. */                                       \
    X(incompatible_version,    11, "incompatible protocol version",                 none)          \
    /* No live reader owns a buffer of this name. */                                               \
    X(no_reader,               12, "no live reader for this buffer",                none)          \
    /* Another live writer is attached to the buffer. */                                           \
    X(writer_already_connected, 13, "another writer is already connected",          none)          \
    /* Another live reader owns a buffer of this name. */                                          \
    X(reader_already_exists,   14, "a live reader already owns this buffer",        none)          \
    /* The buffer name cannot name the platform resources. */                                      \
    X(invalid_name,            15, "invalid buffer name",                           none)          \
    /* The buffer configuration is out of range. */                                                \
    X(invalid_config,          16, "invalid buffer configuration",                  none)          \
    /* The call does not fit the object's state (e.g. closed). */                                  \
    X(invalid_state,           17, "operation not valid in the current state",      none)          \
    /* A bounded wait ended without a result (e.g. a duplex client's request). */                  \
    X(timed_out,               18, "timed out",                                     none)          \
    /* The duplex server process no longer exists. */                                              \
    X(server_dead,             19, "server process died",                           peer_gone)     \
    /* The duplex client closed its channel or died. */                                            \
    X(client_gone,             20, "the client closed or died",                     peer_gone)     \
    /* The duplex server's handler failed for this request (it threw, or its */                   \
    /* response was empty or could never fit the response ring). */                                \
    X(handler_failed,          21, "the server's handler failed for this request",  none)          \
    /* The duplex server stopped (closed its response writer). */                                  \
    X(server_stopped,          22, "the server stopped",                            peer_gone)
// clang-format on

#endif // ZEROBUFFER_DETAIL_ERROR_LIST_HPP
