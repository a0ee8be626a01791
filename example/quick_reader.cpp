// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Quick start, reader side: creates the buffer "quickstart" and prints every
// frame a writer sends (run quick_writer next to it) until the writer leaves.

#include <zerobuffer/zerobuffer.hpp>

#include <iostream>
#include <span>
#include <string_view>

static std::string_view text(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

int main()
{
    zerobuffer::reader reader("quickstart", {.metadata_size = 1024, .payload_size = 1 << 20});
    std::cout << "waiting for a writer: run quick_writer\n";
    try {
        for (;;) {
            zerobuffer::frame f = reader.read_frame(std::chrono::seconds(30));
            if (!f) {
                std::cout << "no frame within 30 s\n";
                return 1;
            }
            if (f.sequence() == 1) {
                std::cout << "metadata: " << text(reader.metadata()) << '\n';
            }
            std::cout << "frame " << f.sequence() << ": " << text(f.bytes()) << '\n';
        } // each frame is released here: its bytes go back to the writer
    } catch (const zerobuffer::writer_disconnected&) {
        std::cout << "the writer is done\n";
    }
} // the reader's destructor removes the buffer
