import Testing
@testable import ExplorerUI

/// Rendered screens as text (glyph mode: the shade ramp stands for colors), compared line by
/// line. Trailing spaces are trimmed; regenerate by printing `screen(...)` if a layout change
/// is intended, and read the new picture before committing it.
@Suite struct RenderedScreenTests {
    let paragraph = (1...33).map { "w\($0) x\($0) ," }.joined(separator: " ")

    func screen(_ state: AppState) -> [String] {
        render(state).textLines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    func expectScreen(_ state: AppState, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = screen(state)
        let lines = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(actual.count == lines.count, sourceLocation: sourceLocation)
        for (number, (got, want)) in zip(actual, lines).enumerated() where got != want {
            Issue.record("line \(number):\n got: \(got)\nwant: \(want)", sourceLocation: sourceLocation)
        }
    }

    @Test func seedSentenceAt80x24() throws {
        expectScreen(try makeState(), """
 builtin │ layer 0 of 2 │ head 0 of 6 previous token       recomputed in 0.0 ms
 hf  transformers 5: mask → bool; any value ≠ 0 keeps a key fully, 0 masks
[CLS] the quick brown fox jumps over the lazy dog . [SEP]
1     1   1     1     1   1     1    1   1    1   1 1
query ↓    [    t    q    b    f    j    o    t    l    d    .    [
           C    h    u    r    o    u    v    h    a    o         S
           …    e    …    …    x    …    …    e    …    g         …
   mask    1    1    1    1    1    1    1    1    1    1    1    1
 0 [CLS] ░░░░░░░░░░     ░░░░░               ░░░░░
 1 the   █████[   ]
 2 quick      █████
 3 brown           █████
 4 fox                  █████
 5 jumps                     █████
 6 over                           █████
 7 the                                 █████
 8 lazy                                     █████
 9 dog                                           █████
10 .                                                  █████
11 [SEP]                                                   █████
 1 the → 1 the │ weight 0.0002 │ score 13.730 │ bias 0 │ entropy 0.01 bits
 mask 1 → kept │ head design query = position rotated one step back, key = posit
 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole atten
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semant
""")
    }

    @Test func seedSentenceAt120x40WithAHalfMask() throws {
        expectScreen(press(try makeState(width: 120, height: 40), .right, .right, .right, .character("5"), .down, .down), """
 Maskscope  builtin │ layer 0 of 2 │ head 0 of 6 previous token │ 12 tokens                        recomputed in 0.0 ms
 hf  transformers 5 (bool cast): 0.5 → kept fully (same as 1)
[CLS] the quick brown fox jumps over the lazy dog . [SEP]
1     1   1     1     0.5 1     1    1   1    1   1 1
query ↓    [    t    q    b    f    j    o    t    l    d    .    [             Selected cell
           C    h    u    r    o    u    v    h    a    o         S             query → key
           L    e    i    o    x    m    e    e    z    g         E               3 brown → 4 fox
           S         c    w         p    r         y              P             weight
           ]         k    n         s                             ]               0.0002
   mask    1    1    1    1   0.5   1    1    1    1    1    1    1             raw score q·k/√d
 0 [CLS] ░░░░░░░░░░     ░░░░░               ░░░░░                                 13.730
         ░░░░░░░░░░     ░░░░░               ░░░░░                               mask bias
 1 the   █████                                                                    0
         █████                                                                  mask value
 2 quick      █████                                                               0.5 → kept fully (same as 1)
              █████                                                             row entropy
 3 brown           █████     [   ]                                                0.02 bits (max 3.58 over 12 keys)
                   █████     [   ]                                              head design
 4 fox                  █████                                                     query = position rotated one step
                        █████                                                     back, key = position
 5 jumps                     █████
                             █████
 6 over                           █████
                                  █████
 7 the                                 █████
                                       █████
 8 lazy                                     █████
                                            █████
 9 dog                                           █████
                                                 █████
10 .                                                  █████
                                                      █████
11 [SEP]                                                   █████
                                                           █████




 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole attention (rows sum to 1) · max here 1.00
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semantics  e edit  ? help  q quit
""")
    }

    @Test func cjkAndAccentedTokensLineUp() throws {
        expectScreen(press(try makeState("東京は日本の首都です。Café naïve", width: 80, height: 24), .right, .right), """
 builtin │ layer 0 of 2 │ head 0 of 6 previous token       recomputed in 0.0 ms
 hf  transformers 5: mask → bool; any value ≠ 0 keeps a key fully, 0 masks
[CLS] 東 京 は 日 本 の 首 都 です 。 café naïve [SEP]
1     1  1  1  1  1  1  1  1  1    1  1    1     1
query ↓    [   東   京   は   日   本   の   首   都   で   。    c    n    [
           C                                           す         a    a    S
           …                                                      …    …    …
   mask    1    1    1    1    1    1    1    1    1    1    1    1    1    1
 0 [CLS] ░░░░░░░░░░     ░░░░░               ░░░░░
 1 東    █████          [   ]
 2 京         █████
 3 は              █████
 4 日                   █████
 5 本                        █████
 6 の                             █████
 7 首                                  █████
 8 都                                       █████
 9 です                                          █████
10 。                                                 █████
11 café                                                    █████
 1 東 → 3 は │ weight 0.0000 │ score 8.450 │ bias 0 │ entropy 0.01 bits
 mask 1 → kept │ head design query = position rotated one step back, key = posit
 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole atten
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semant
""")
    }

    @Test func tooSmallTerminal() throws {
        expectScreen(try makeState(width: 40, height: 10), """




terminal too small — need at least 60×16
now 40×10; enlarge it or press q to quit




""")
    }

    @Test func tinyTerminal() throws {
        expectScreen(try makeState(width: 20, height: 5), """
terminal too small —
need at least 60×16
now 20×5; enlarge it
 or press q to quit

""")
    }

    @Test func hundredTokenParagraphScrollsToTheSelection() throws {
        expectScreen(press(try makeState(paragraph), .end, .pageDown, .pageDown, .pageDown, .pageDown), """
 builtin │ layer 0 of 2 │ head 0 of 6 previous token       recomputed in 0.0 ms
 hf  transformers 5: mask → bool; any value ≠ 0 keeps a key fully, 0 masks
…, w27 x27 , w28 x28 , w29 x29 , w30 x30 , w31 x31 , w32 x32 , w33 x33 , [SEP]
 1 1   1   1 1   1   1 1   1   1 1   1   1 1   1   1 1   1   1 1   1   1 1
query ↓    ,  w  x  ,  w  x  ,  w  x  ,  w  x  ,  w  x  ,  w  x  ,  w  x  ,  [
              2  2     2  2     2  2     3  3     3  3     3  3     3  3     S
              7  7     8  8     9  9     0  0     1  1     2  2     3  3     …
    mask ◀ 1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1  1
 34 w12
 35 x12
 36 ,
 37 w13
 38 x13
 39 ,
 40 w14
 41 x14
 42 ,
 43 w15
 44 x15
 45 ,                                                                       [ ]
 45 , → 100 [SEP] │ weight 0.0000 │ score 6.739 │ bias 0 │ entropy 0.04 bits
 mask 1 → kept │ head design query = position rotated one step back, key = posit
 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole atten
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semant
""")
    }

    @Test func helpOverlayListsEveryKey() throws {
        expectScreen(press(try makeState(), .character("?")), """
┌─ Maskscope keys — Esc or ? closes ───────────────────────────────────────────┐
│ Select                                 View                                  │
│ ←/h      previous token (key column)   [ ]      previous / next layer        │
│ →/l      next token (key column)       < > , .  previous / next head         │
│ ↑/k      previous query row            a        mean of heads on / off       │
│ ↓/j      next query row                z        dense: 2 query rows a line   │
│ Home/g   first token                   t        next color theme             │
│ End/G    last token                    d S      diff · compare semantics     │
│ PgUp     query rows up a page          m o E    math · overview · effect     │
│ PgDn     query rows down a page        Text                                  │
│ Mask                                   e        edit the text (Enter, Esc)   │
│ 0        mask the token (value 0)      App                                   │
│ 5        mask value 0.5                w        write view (SVG) + mask file │
│ 1        unmask (value 1)              ?        this help                    │
│ +/-      value up / down by 0.1        Esc      close / end span / quit      │
│ x        toggle between 0 and 1        q        quit (Ctrl-C always quits)   │
│ v        span: move, then set it all   mouse    click selects, wheel scrolls │
│ r        reset every value to 1        Semantics (s)                         │
│ u        undo a mask change            hf       transformers v5: ≠0 = kept   │
│ Ctrl-R   redo                          hf4      transformers v4: <1 = masked │
│ p        pattern: causal, window, …    soft     ln m: 0.5 halves a key       │
│ c        cell mode: edit q × k cells   bias     value added to the logits    │
│ s        semantics hf→hf4→soft→bias                                          │
└──────────────────────────────────────────────────────────────────────────────┘
""")
    }
}
