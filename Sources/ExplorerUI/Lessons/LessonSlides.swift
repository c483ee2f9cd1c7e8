import AttentionCore
import Foundation

/// Slides from a lesson (`maskscope lesson --export DIR FILE`): one standalone SVG per step —
/// the lesson's title, "3 / 9", the caption wrapped, and under them the step's view as the
/// vector picture `w` and `render --format svg` write — plus an `index.html` that steps
/// through them offline. Everything is a pure function of the lesson and the model: no dates,
/// stable order and number formatting, so a re-run writes the same bytes and slides can live in git.
public enum LessonSlides {
    /// One file to write: its name inside the export folder and its text.
    public struct File: Equatable, Sendable {
        public let name: String
        public let contents: String
    }

    /// The slide files of every step (`step-01.svg` …, numbered with at least two digits so
    /// they sort), then `index.html`. Each step is computed on this thread, as the explorer
    /// shows it on first arrival (the lesson as written).
    public static func files(for player: LessonPlayer, theme: Theme) -> [File] {
        let count = player.stepCount
        let digits = max(2, String(count).count)
        var state = AppState(lesson: player, themes: [theme], themeIndex: 0, colors: .truecolor, width: 200, height: 60)
        var names: [String] = []
        var files: [File] = []
        for index in 0..<count {
            let effects = index == 0 ? state.initialEffects : state.showLessonStep(index)
            state = ExplorerLoop.settle(state, effects)
            let name = "step-" + String(repeating: "0", count: max(0, digits - String(index + 1).count)) + "\(index + 1).svg"
            names.append(name)
            files.append(File(name: name, contents: slide(picture: svgDocument(for: state), lesson: player.lesson,
                                                          index: index, theme: theme)))
        }
        files.append(File(name: "index.html", contents: index(lesson: player.lesson, slides: names, theme: theme)))
        return files
    }

    /// The step's picture under a header: title and step number on one line, the caption below.
    static func slide(picture: String, lesson: Lesson, index: Int, theme: Theme) -> String {
        let palette = PicturePalette(theme: theme)
        let (pictureWidth, pictureHeight) = svgSize(picture)
        let width = max(960, pictureWidth)
        let margin = 40.0
        let captionSize = 20.0
        let columns = max(30, Int((width - 2 * margin) / (captionSize * 0.6)))
        let caption = lessonCaptionLines(lesson.steps[index].caption, width: columns, maxLines: 40)
        var svg = SVGBuilder()
        svg.text(lesson.title, x: margin, y: margin + 10, size: 28, fill: palette.foreground, bold: true, className: "slide-title")
        svg.text("\(index + 1) / \(lesson.steps.count)", x: width - margin, y: margin + 10, size: 22, fill: palette.dim,
                 anchor: "end", className: "slide-number")
        var y = margin + 52
        for line in caption {
            svg.text(line, x: margin, y: y, size: captionSize, fill: palette.foreground, className: "slide-caption")
            y += captionSize * 1.35
        }
        let top = y + 4
        svg.line(x1: margin, y1: top, x2: width - margin, y2: top, stroke: palette.dim, className: "slide-rule")
        svg.raw(nested(picture, x: (width - pictureWidth) / 2, y: top + 8))
        return svg.document(width: width, height: top + 8 + pictureHeight, background: palette.background,
                            title: "\(lesson.title) — step \(index + 1) of \(lesson.steps.count)")
    }

    /// The width and height a picture's root `<svg>` declares.
    static func svgSize(_ document: String) -> (Double, Double) {
        func attribute(_ name: String) -> Double {
            guard let start = document.range(of: "<svg "),
                  let found = document.range(of: " \(name)=\"", range: start.upperBound..<document.endIndex),
                  let end = document[found.upperBound...].firstIndex(of: "\"") else { return 0 }
            return Double(document[found.upperBound..<end]) ?? 0
        }
        return (attribute("width"), attribute("height"))
    }

    /// `document` as an element inside another SVG, placed at (x, y): its XML declaration
    /// dropped and its root `<svg>` given a position.
    static func nested(_ document: String, x: Double, y: Double) -> String {
        guard let start = document.range(of: "<svg ") else { return "" }
        let element = document[start.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return "<svg x=\"\(SVGBuilder.number(x))\" y=\"\(SVGBuilder.number(y))\" " + element
    }

    /// A page that shows one slide at a time: → ↓ Space PgDn n next, ← ↑ Backspace PgUp N back,
    /// Home and End, `#N` opens step N. No network: the slides are referenced by relative name.
    static func index(lesson: Lesson, slides: [String], theme: Theme) -> String {
        let palette = PicturePalette(theme: theme)
        let title = htmlEscaped(lesson.title)
        let images = slides.enumerated().map { index, name in
            let alt = htmlEscaped("Step \(index + 1) of \(slides.count): \(lesson.steps[index].caption)")
            return "<img class=\"slide\(index == 0 ? " current" : "")\" id=\"step-\(index + 1)\" src=\"\(name)\" alt=\"\(alt)\">"
        }
        let links = slides.enumerated().map { index, name in "<li><a href=\"\(name)\">Step \(index + 1)</a></li>" }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>
        html, body { margin: 0; height: 100%; background: \(palette.background); color: \(palette.foreground); font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; }
        main { height: calc(100% - 2em); display: flex; align-items: center; justify-content: center; }
        .slide { display: none; max-width: 100%; max-height: 100%; object-fit: contain; }
        .slide.current { display: block; }
        nav { height: 2em; line-height: 2em; text-align: center; font-size: 14px; color: \(palette.dim); }
        </style>
        </head>
        <body>
        <main>
        \(images.joined(separator: "\n"))
        </main>
        <nav><span id="counter">1 / \(slides.count)</span> · \(title) · → Space PgDn next · ← Backspace PgUp back · Home End</nav>
        <noscript><ol>
        \(links.joined(separator: "\n"))
        </ol></noscript>
        <script>
        (function () {
          var slides = document.querySelectorAll(".slide");
          var count = slides.length, current = 0;
          function show(index) {
            current = Math.max(0, Math.min(count - 1, index));
            for (var i = 0; i < count; i++) slides[i].className = i === current ? "slide current" : "slide";
            document.getElementById("counter").textContent = (current + 1) + " / " + count;
            var hash = "#" + (current + 1);
            if (location.hash !== hash) { try { history.replaceState(null, "", hash); } catch (e) {} }
          }
          function fromHash() {
            var match = /^#(\\d+)$/.exec(location.hash);
            if (match) show(parseInt(match[1], 10) - 1);
          }
          document.addEventListener("keydown", function (event) {
            if (event.altKey || event.ctrlKey || event.metaKey) return;
            switch (event.key) {
              case "ArrowRight": case "ArrowDown": case " ": case "PageDown": case "n": show(current + 1); break;
              case "ArrowLeft": case "ArrowUp": case "Backspace": case "PageUp": case "N": show(current - 1); break;
              case "Home": show(0); break;
              case "End": show(count - 1); break;
              default: return;
            }
            event.preventDefault();
          });
          window.addEventListener("hashchange", fromHash);
          fromHash();
        })();
        </script>
        </body>
        </html>

        """
    }

    static func htmlEscaped(_ text: String) -> String {
        xmlEscaped(text).replacingOccurrences(of: "\n", with: " ")
    }
}
