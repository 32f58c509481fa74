#!/usr/bin/env python3
"""Regenerates Tests/Corpus/every-form.s: one line per encoding in the opcode table.

For each table entry it fills the free bits of an encoding with seeded pseudo-random values until
the real `ia64-linux-gnu-objdump` names that same entry, takes objdump's text as the assembly
line, points branch targets at a label, and keeps only lines the real `ia64-linux-gnu-as`
accepts. The output is committed; tests assemble it with gas and compare both disassemblers.
Run from the repository root: python3 scripts/generate-corpus.py
"""
import random, re, subprocess, tempfile, os

TABLE = "Sources/IA64Exec/Decode/OpcodeTableData.swift"
OUT = "Tests/Corpus/every-form.s"
REL_KINDS = {82, 83, 84, 85, 86, 87}

def entries():
    text = open(TABLE).read()
    body = text.split('"""')[1].strip().split("\n")
    for i, line in enumerate(body):
        t, name, nout, opc, mask, ops, flags = line.split(" ")
        yield i, t, name, int(opc, 16), int(mask, 16), [] if ops == "-" else [int(o) for o in ops.split(",")], int(flags, 16)

def bundle(t, slot, rng):
    """A bundle putting `slot` where a unit of its type sits; other slots are nops."""
    nop_m, nop_i, nop_b, nop_f = 0x8000000, 0x8000000, 0x4000000000, 0x8000000
    if t in "MA":
        tpl, s = 0x10, [slot, nop_i, nop_b]          # MIB, slot 0
    elif t == "I":
        tpl, s = 0x10, [nop_m, slot, nop_b]          # MIB, slot 1
    elif t == "B":
        tpl, s = 0x10, [nop_m, nop_i, slot]          # MIB, slot 2
    elif t == "F":
        tpl, s = 0x0c, [nop_m, slot, nop_i]          # MFI, slot 1
    else:
        tpl, s = 0x04, [nop_m, rng.getrandbits(41), slot]  # MLX
    v = tpl | (s[0] << 5) | (s[1] << 46) | (s[2] << 87)
    return v.to_bytes(16, "little")

def objdump_lines(blob):
    with tempfile.NamedTemporaryFile(suffix=".bin", delete=False) as f:
        f.write(blob)
    out = subprocess.run(["ia64-linux-gnu-objdump", "-D", "-b", "binary", "-m", "ia64", f.name],
                         capture_output=True, text=True).stdout
    os.unlink(f.name)
    return [l for l in out.split("\n") if re.match(r"^\s*[0-9a-f]+:\t", l)]

def slot_text(line):
    text = line.split("\t", 2)[2] if line.count("\t") >= 2 else ""
    text = re.sub(r"^\[[A-Z-]+\] ", "", text).strip()
    return text.replace(";;", "").strip()

# Forms random encodings cannot reach: operand constraints (fneg: f2 == f3), branch-predict
# tags, the 5-operand alloc syntax, hint.b (needs -mhint.b=ok) and the ldxmov pseudo-op.
SUPPLEMENT = """alloc r34=ar.pfs,3,2,1,0
alloc r35=3,2,0,0
brp.loop.imp corpus_target,corpus_tag
brp.exit corpus_target,corpus_tag
brp.exit.imp corpus_target,corpus_tag
brp.loop corpus_target,corpus_tag
fneg f6=f7
fpneg f6=f7
hint.b 0x0
hint.b @pause
mov.ret b1=r2,corpus_tag
mov.ret.sptk b1=r2,corpus_tag
mov.ret.dptk b1=r2,corpus_tag
mov.ret.imp b1=r2,corpus_tag
mov.ret.sptk.imp b1=r2,corpus_tag
mov.ret.dptk.imp b1=r2,corpus_tag
mov.sptk b1=r2,corpus_tag
mov.dptk b1=r2,corpus_tag
mov.imp b1=r2,corpus_tag
mov.sptk.imp b1=r2,corpus_tag
mov.dptk.imp b1=r2,corpus_tag
ld8.mov r8=[r9],corpus_target""".split("\n")

def source(lines):
    return "\t.text\n\t.global corpus_start\ncorpus_start:\ncorpus_target:\n" + "".join("\t" + l + "\n" for l in lines)

def gas_rejects(src):
    """Line indexes (into the instruction lines) gas reports errors for; None when clean."""
    with tempfile.TemporaryDirectory() as d:
        open(d + "/c.s", "w").write(src)
        r = subprocess.run(["ia64-linux-gnu-as", "-mhint.b=ok", "-o", d + "/c.o", d + "/c.s"], capture_output=True, text=True)
    bad = {int(m.group(1)) - 5 for m in re.finditer(r"c\.s:(\d+): Error", r.stderr)}
    if r.returncode == 0 and not bad:
        return None
    if not bad:
        raise SystemExit(r.stderr)
    return bad

def main():
    rng = random.Random(20261125)
    table = list(entries())
    pending = {i: 0 for i, *_ in table}
    found = {}
    alias = set()
    for attempt in range(30):
        todo = [e for e in table if e[0] in pending and e[0] not in found]
        if not todo:
            break
        blob = b""
        order = []
        for i, t, name, opc, mask, ops, flags in todo:
            free = ((1 << 41) - 1) & ~mask
            raw = opc | (rng.getrandbits(41) & free)
            if attempt < 2:
                raw &= ~0x3f  # unpredicated first
            blob += bundle(t, raw, rng)
            order.append((i, t, name, ops))
        lines = objdump_lines(blob)
        # Every bundle yields 3 lines (MLX: 2 lines + continuation); find the line of our slot.
        per = {}
        idx = 0
        for n, (i, t, name, ops) in enumerate(order):
            group = [l for l in lines if int(l.split(":")[0], 16) // 16 == n]
            want = {"M": 0, "A": 0, "I": 1, "F": 1, "B": 2, "X": 1}[t]
            texts = [slot_text(l) for l in group if l.count("\t") >= 2]
            if want < len(texts):
                per[i] = texts[want]
        for i, t, name, ops in order:
            text = per.get(i, "")
            m = re.match(r"^(\(p\d+\) )?\s*(\S+)(.*)$", text)
            if not m:
                continue
            if m.group(2) != name:
                # Shadowed forms (assembler aliases such as "fma" for "fma.s0", or pseudo-ops)
                # never come out of a disassembler; write them with the winner's operands.
                if attempt < 6 or i in alias:
                    continue
                text = (m.group(1) or "") + name + m.group(3)
                alias.add(i)
            if any(k in REL_KINDS for k in ops):
                text = re.sub(r"\b[0-9a-f]+ <[^>]*>|0x[0-9a-f]+(?=,|$)", "corpus_target", text)
            found[i] = text
        # Keep only what gas accepts; rejected entries get another try next round.
        keys = sorted(found)
        while True:
            src = source([found[i] for i in keys])
            bad = gas_rejects(src)
            if bad is None:
                break
            for n in bad:
                found.pop(keys[n], None)
                alias.discard(keys[n])
            keys = sorted(found)
    # One line per distinct text: aliases often coincide with an exact entry's line.
    lines = list(dict.fromkeys(found[i] for i in sorted(found))) + SUPPLEMENT
    src = source(lines) + "corpus_tag:\n\tnop.b 0\n"
    if gas_rejects(src) is not None:
        raise SystemExit("supplement rejected by gas")
    names = {re.match(r"^(\(p\d+\) )?\s*(\S+)", l).group(2) for l in lines}
    with open(OUT, "w") as f:
        f.write("// Every instruction form of the IA-64 opcode table that gas accepts: one line per\n")
        f.write("// encoding, generated by scripts/generate-corpus.py from objdump's own rendering.\n")
        f.write(f"// {len(lines)} lines, {len(names)} distinct mnemonic+completer names.\n")
        f.write(src.split("\n", 0)[0])
    print(len(table), "entries;", len(lines), "lines kept;", len(names), "names")

main()
