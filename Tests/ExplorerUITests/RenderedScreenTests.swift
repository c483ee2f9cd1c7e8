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
│ 0        mask the token (value 0)      n N C    lesson: next · back · captio │
│ 5        mask value 0.5                App                                   │
│ 1        unmask (value 1)              w        write view (SVG) + mask file │
│ +/-      value up / down by 0.1        ?        this help                    │
│ x        toggle between 0 and 1        Esc      close / end span / quit      │
│ v        span: move, then set it all   q        quit (Ctrl-C always quits)   │
│ r        reset every value to 1        mouse    click selects, wheel scrolls │
│ u        undo a mask change            Semantics (s)                         │
│ Ctrl-R   redo                          hf       transformers v5: ≠0 = kept   │
│ p        pattern; cell = pattern×key   hf4      transformers v4: <1 = masked │
│ c        cell mode: edit q × k cells   soft     ln m: 0.5 halves a key       │
│ s        semantics hf→hf4→soft→bias    bias     value added to the logits    │
└──────────────────────────────────────────────────────────────────────────────┘
""")
    }

    /// The blog post's mask at 100×30, layer 1 head 3 ("sentence gist"), for the view screens.
    var blogMask: AppState {
        get throws { press(try makeState(width: 100, height: 30), .right, .right, .right, .right, .character("5"), .right, .right, .right, .character("v"), .end, .character("0"), .home, .right, .character("]"), .character(">"), .character(">"), .character(">")) }
    }

    @Test func diffViewOfTheBlogMask() throws {
        expectScreen(press(try blogMask, .character("d")), """
 Maskscope  builtin │ diff view │ layer 1 of 2 │ head 3 of 6 sentence gist     recomputed in 0.0 ms
 hf  transformers 5 (bool cast): 0.5 → kept fully (same as 1) · 0 → masked
[CLS] the quick brown fox jumps over the lazy dog .  [SEP]
1     1   1     1     1   0.5   1    1   ×0   ×0  ×0 ×0
query ↓   [   t   q   b   f   j   o   t   l   d   .   [            masked − unmasked
          C   h   u   r   o   u   v   h   a   o       S
          L   e   i   o   x   m   e   e   z   g       E
          S       c   w       p   r       y           P
          ]       k   n       s                       ]
   mask   1   1   1   1   1  0.5  1   1   ×0  ×0  ×0  ×0           mass moved
 0 [CLS] △△△△                                                      0.020
 1 the   △△△△[  ]▽▽▽▽                                              0.068
 2 quick △△△△    ▽▽▽▽▽▽▽▽                            ▽▽▽▽          0.215
 3 brown ▲▲▲▲    △△△△▼▼▼▼                ▽▽▽▽        ▼▼▼▼          0.574
 4 fox   ▲▲▲▲            ▼▼▼▼△△△△                    ▽▽▽▽          0.445
 5 jumps ▲▲▲▲            ▽▽▽▽▽▽▽▽                                  0.288
 6 over  ▲▲▲▲                    ▼▼▼▼        ▽▽▽▽                  0.324
 7 the   △△△△△△△△    ▽▽▽▽        ▽▽▽▽△△△△▽▽▽▽                      0.130
 8 lazy  ▲▲▲▲△△△△    ▽▽▽▽        ▽▽▽▽△△△△▼▼▼▼        ▽▽▽▽          0.633
 9 dog   ▲▲▲▲△△△△        ▽▽▽▽    ▽▽▽▽△△△△▽▽▽▽▼▼▼▼▽▽▽▽▽▽▽▽          0.793
10 .     ▲▲▲▲△△△△△△△△    ▽▽▽▽    ▽▽▽▽△△△△    ▽▽▽▽▼▼▼▼▽▽▽▽          0.925
11 [SEP] ▲▲▲▲△△△△△△△△△△△△            △△△△▽▽▽▽        ▼▼▼▼          0.933






 Δ −1 ▼▼▼▼▼▼▼▼▼▽ △▲▲▲▲▲▲▲▲▲ +1   masked minus unmasked weight · mass moved = ½ Σ|Δ| of the row
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semantics  e edit  ? help
""")
    }

    @Test func compareViewOfTheBlogMask() throws {
        expectScreen(press(try blogMask, .character("S")), """
 Maskscope  builtin │ compare view │ layer 1 of 2 │ head 3 of 6 sentence gist  recomputed in 0.0 ms
 hf  transformers 5 (bool cast): 0.5 → kept fully (same as 1) · 0 → masked
[CLS] the quick brown fox jumps over the lazy dog .  [SEP]
1     1   1     1     1   0.5   1    1   ×0   ×0  ×0 ×0
         hf (current)              hf4                       soft
         transformers v5: ≠0 = k…  transformers v4: <1 = m…  ln m: 0.5 halves a key
 0 [CLS] ██                        ██                        ██
 1 the   ▓▓                        ▒▒░░          ░░          ▓▓
 2 quick ▒▒  ░░                    ▒▒  ░░                    ▒▒  ░░
 3 brown ▓▓    ░░                  ▓▓    ░░                  ▓▓    ░░
 4 fox   ▒▒      ░░                ▓▓      ░░                ▒▒      ░░
 5 jumps ▒▒        ▒▒              ██                        ▓▓
 6 over  ▓▓          ░░            ▒▒          ░░            ▓▓          ░░
 7 the   ▒▒░░          ░░          ░░░░          ░░          ░░░░          ░░
 8 lazy  ▒▒░░          ░░          ░░░░          ░░          ▒▒░░          ░░
 9 dog   ██                        ▓▓                        ██
10 .     ▓▓                        ▒▒                        ▓▓
11 [SEP] ▓▓                        ▓▓                        ▓▓










 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole attention (rows sum to 1)
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semantics  e edit  ? help
""")
    }

    @Test func mathViewOfTheBlogMask() throws {
        expectScreen(press(try blogMask, .character("m")), """
 Maskscope  builtin │ math view │ layer 1 of 2 │ head 3 of 6 sentence gist     recomputed in 0.0 ms
 hf  transformers 5 (bool cast): 0.5 → kept fully (same as 1) · 0 → masked
[CLS] the quick brown fox jumps over the lazy dog .  [SEP]
1     1   1     1     1   0.5   1    1   ×0   ×0  ×0 ×0
 query 1 the · layer 1 head 3 · hf: transformers 5: mask → bool; any value ≠ 0 keeps a key fully, 0
  key token           q·k/√d         + bias       = biased  exp(x−max)   weight
    0 [CLS]           7.9552         0.0000         7.9552      1.0000   0.6499
    1 the             6.5534         0.0000         6.5534      0.2461   0.1600
    2 quick           4.8224         0.0000         4.8224      0.0436   0.0283
    3 brown           1.0665         0.0000         1.0665      0.0010   0.0007
    4 fox            -0.7753         0.0000        -0.7753      0.0002   0.0001
    5 jumps           0.9265         0.0000         0.9265      0.0009   0.0006
    6 over            0.7755         0.0000         0.7755      0.0008   0.0005
    7 the             6.5534         0.0000         6.5534      0.2461   0.1600
    8 lazy           -0.3478      -3.40e+38      -3.40e+38      0.0000   0.0000
    9 dog            -1.4163      -3.40e+38      -3.40e+38      0.0000   0.0000
   10 .              -3.5128      -3.40e+38      -3.40e+38      0.0000   0.0000
   11 [SEP]          -0.8071      -3.40e+38      -3.40e+38      0.0000   0.0000









 row max 7.9552 · Σ exp = 1.5387 · weight = exp(x − max) / Σ exp

 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semantics  e edit  ? help
""")
    }

    @Test func overviewOfTheBlogMask() throws {
        expectScreen(press(try blogMask, .character("o")), """
 Maskscope  builtin │ overview view │ layer 1 of 2 │ head 3 of 6 sentence gist recomputed in 0.0 ms
 hf  transformers 5 (bool cast): 0.5 → kept fully (same as 1) · 0 → masked
[CLS] the quick brown fox jumps over the lazy dog .  [SEP]
1     1   1     1     1   0.5   1    1   ×0   ×0  ×0 ×0
    h0              h1              h2              h3              h4              h5
L0  ░░░ ░    ░        █             ██              ██              ██
    ██                 █              █             ██                ▒      ▒
      █                 █              █            ██                 █
       █                 ██             █           ██                  █
        ▒▒▒                ▒▒            ▒▒▒        ██                   ▒▒▒
           █                 █              █       ██                      █
            █       ░░   ░░ ░░               █      ██                ▒      ▒
             █        ░    ░ ░      ░░   ░░ ░░      ██              ░░  ▓
    ░░   ░░ ░░         ▒    ▒         ░    ░ ░      ██                      █
       ░    ░           ░▒▒  ░         ░░   ░░      ██                  ▒░░

L1  ░░ ░    ░          █            ██             ▕██             ◀██
    ░░░ ░    ░          █           ██              ▓▓              ██
    ██                   ██         ██              ▒▒ ░            ██
      █                    █        ██              ▓▓  ░           ██
       ▒▒                   ▒▒      ██              ▒▒   ░░░        ██
         ██         ░░   ░░ ░░      ██              ▓▓      ░       ██
           █          ░    ░ ░      ██              ▒▒░      ░      ██
            █          ▒    ▒       ██              ▒▒░      ░      ██
             █          ▒    ▒      ██              ██              ██
             ░           ▒▒▒        ██              ▓▓              ██

selected: layer 1 head 3 sentence gist — ←→ head, ↑↓ layer, Enter opens, o closes
 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole attention (rows sum to 1)
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semantics  e edit  ? help
""")
    }

    @Test func effectOfTheBlogMask() throws {
        expectScreen(press(try blogMask, .character("E")), """
 Maskscope  builtin │ effect view │ layer 1 of 2 │ head 3 of 6 sentence gist   recomputed in 0.0 ms
 hf  transformers 5 (bool cast): 0.5 → kept fully (same as 1) · 0 → masked
[CLS] the quick brown fox jumps over the lazy dog .  [SEP]
1     1   1     1     1   0.5   1    1   ×0   ×0  ×0 ×0
 Output effect: this mask against no mask (all ones), same text
 sentence embedding (mean of last hidden states): cosine 0.9482

 each token's last hidden state, cosine to the unmasked run:
 0 [CLS]          ██████████████████████████████ 0.9878
 1 the            ██████████████████████████████ 0.9854
 2 quick          ██████████████████████████████ 0.9842
 3 brown          █████████████████████████████░ 0.9792
 4 fox            █████████████████████████████░ 0.9802
 5 jumps          █████████████████████████████░ 0.9822
 6 over           █████████████████████████████░ 0.9758
 7 the            █████████████████████████████░ 0.9661
 8 lazy           ████████████████████████████░░ 0.9413
 9 dog            ████████████████████████████░░ 0.9338
 10 .             ████████████████████████████░░ 0.9240
 11 [SEP]         ████████████████████████████░░ 0.9273







 (this checkpoint has no masked-LM head, so there are no [MASK] predictions to compare)

 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semantics  e edit  ? help
""")
    }

    @Test func patternPicker() throws {
        expectScreen(press(try makeState(), .character("p"), .down, .down, .down), """
 builtin │ layer 0 of 2 │ head 0 of 6 previous token       recomputed in 0.0 ms
 hf  transformers 5: mask → bool; any value ≠ 0 keeps a key fully, 0 masks
[CLS] the quick brown fox jumps over the lazy dog . [SEP]
1     1   1     1     1   1     1    1   1    1   1 1
query ↓    [    t    q    b    f    j    o    t    l    d    .    [
┌─ Pattern — ↑↓ choose · edit the arguments · Enter applies · Esc cancels ─────┐
│ cell mask = pattern(query, key) × the key's mask value; then the semantics   │
│ none                   no pattern: only the per-token mask acts              │
│ padding:K              the last K tokens are masked as keys, like [PAD]      │
│ causal                 each query sees itself and earlier keys (decoder)     │
│ prefix:N               first N tokens bidirectional, the rest causal (prefix │
│ window:W               keys at most W positions away (sliding window)        │
│ block or block:P1,P2,… packed documents: split after each [SEP], or starting │
│ global:P1,P2,…[+PATTERN] P1, P2… see and are seen by all; other cells follow │
│ seed                   the blog post's quick=1, jumps=0.5, lazy..=0 by posit │
│                                                                              │
│                                                                              │
│ pattern: prefix:4                                                            │
└──────────────────────────────────────────────────────────────────────────────┘
11 [SEP]                                                   █████
 1 the → 1 the │ weight 0.0002 │ score 13.730 │ bias 0 │ entropy 0.01 bits
 mask 1 → kept │ head design query = position rotated one step back, key = posit
 weight 0     ░░░░▒▒▒▒▓▓▓▓████ 1   0 = key ignored · 1 = the query's whole atten
 ←→ token  ↑↓ query  0 5 1 x mask  v span  u undo  [ ] layer  < > head  s semant
""")
    }
}
