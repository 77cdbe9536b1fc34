// Server-rendered charts for the dashboard: a horizontal bar chart as inline SVG (no script, no
// inline style: presentation attributes only, so the CSP allows it). Labels and values go through
// escapeHtml; the chart has a <title> and role="img" with an aria-label for screen readers.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace duegate::portal {

struct Bar {
    std::string label;  // left of the bar
    std::int64_t value = 0;
    std::string text;   // right of the bar (the formatted value)
};

std::string barChart(const std::string& title, const std::vector<Bar>& bars);

}  // namespace duegate::portal
