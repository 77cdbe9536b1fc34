#include "portal/Svg.h"

#include "portal/Html.h"

#include <algorithm>

namespace duegate::portal {

std::string barChart(const std::string& title, const std::vector<Bar>& bars) {
    constexpr int width = 320, labelWidth = 96, textWidth = 96, row = 28, barHeight = 18;
    const int height = std::max<int>(row, static_cast<int>(bars.size()) * row);
    std::int64_t max = 1;
    for (const auto& b : bars) max = std::max(max, b.value);
    const int span = width - labelWidth - textWidth;
    std::string svg = "<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(width) +
                      " " + std::to_string(height) + "\" role=\"img\" aria-label=\"" + escapeHtml(title) +
                      "\" width=\"100%\"><title>" + escapeHtml(title) + "</title>";
    int y = 0;
    for (const auto& b : bars) {
        // Integer arithmetic: the bar length is value/max of the span, at least 1 px for a non-zero value.
        int len = static_cast<int>(b.value > 0 ? std::max<std::int64_t>(1, b.value * span / max) : 0);
        svg += "<text x=\"0\" y=\"" + std::to_string(y + 18) + "\" font-size=\"12\" fill=\"#1b1f23\">" +
               escapeHtml(b.label) + "</text>";
        svg += "<rect class=\"bar\" x=\"" + std::to_string(labelWidth) + "\" y=\"" + std::to_string(y + 5) +
               "\" width=\"" + std::to_string(len) + "\" height=\"" + std::to_string(barHeight) + "\" fill=\"#1d3557\"/>";
        svg += "<text x=\"" + std::to_string(labelWidth + len + 4) + "\" y=\"" + std::to_string(y + 18) +
               "\" font-size=\"12\" fill=\"#1b1f23\">" + escapeHtml(b.text) + "</text>";
        y += row;
    }
    return svg + "</svg>";
}

}  // namespace duegate::portal
