#!/usr/bin/env python3
"""Generates seeded random straight-line IA-64 integer programs for the differential test.

From a seed, it writes N small static Linux programs. Each `_start` sets every predicate with
`mov pr = r2, -1`, makes a few registers NaT with `ld8.fill` (in about half the programs), sets
every other register of r1..r31 with `movl` from seeded random values, then runs ~40 random
straight-line A/I-unit integer instructions on r1..r31 and p1..p15 (p0 now and then as a
compare target; no register-stack frame is needed), a quarter of them under a qualifying
predicate. Stops (`;;`) go wherever a read or write meets a register already written in the
current instruction group, so `ia64-linux-gnu-as -x` accepts every program. Then the global
label `done:` and the exit system call.

The programs (with the seed) are written as JSON:
    {"seed": S, "programs": [{"index": i, "source": "..."}, ...]}
The expected final states in Tests/ExecutionTests/Data/random-programs.json were added to this
output by running every program on an independent IA-64 simulator (see the "oracle" field
there); that step is not part of the repository and no test needs it.

Usage (from the repository root):
    python3 scripts/generate-random-programs.py --seed 20240601 --count 60 -o programs.json
Add --check to assemble and link every program with the real binutils.
"""
import argparse, json, os, random, subprocess, sys, tempfile

GRS = list(range(1, 32))
PRS = list(range(1, 16))

SPECIAL = [0, 1, 2, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff,
           0x00000000ffffffff, 0xffffffff00000000, 0x0000000080000000, 0x000000007fffffff,
           0xffffffff80000000, 0x8000000080000000, 0x7fff7fff7fff7fff, 0x8000800080008000,
           0x7f7f7f7f7f7f7f7f, 0x8080808080808080, 0x00ff00ff00ff00ff, 0x0101010101010101]
LANE_BYTES = [0x00, 0x01, 0x7f, 0x80, 0x81, 0xfe, 0xff]
M64 = (1 << 64) - 1


def random_value(rng):
    """A 64-bit value with a bias toward edges, small shift counts and lane patterns."""
    k = rng.random()
    if k < 0.40:
        return rng.getrandbits(64)
    if k < 0.55:
        return rng.randrange(0, 130)                  # shift counts, positions, small numbers
    if k < 0.65:
        return rng.choice(SPECIAL)
    if k < 0.75:
        return sum(rng.choice(LANE_BYTES) << (8 * i) for i in range(8))
    if k < 0.82:
        return (-rng.randrange(1, 300)) & M64
    if k < 0.90:
        v = rng.getrandbits(32)
        return v | (0xffffffff00000000 if rng.random() < 0.5 and v & 0x80000000 else 0)
    # 16-bit lanes near the signed/unsigned limits
    lanes = [0x0000, 0x0001, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff, 0x00ff, 0xff00]
    return sum(rng.choice(lanes + [rng.getrandbits(16)]) << (16 * i) for i in range(4))


def simm(rng, bits):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return rng.choice([lo, hi, 0, -1, 1, rng.randint(lo, hi), rng.randint(-20, 20)])


class Ins:
    """One instruction: its text, the GRs it reads and writes, the predicates it writes, and
    its qualifying predicate (0 when unpredicated)."""
    def __init__(self, text, reads=(), writes=(), pwrites=()):
        self.text, self.reads, self.writes = text, set(reads), set(writes)
        self.pwrites = {p for p in pwrites if p != 0}
        self.qp = 0


def gr(rng):
    return rng.choice(GRS)


def pred_pair(rng):
    p1 = rng.choice(PRS + [0]) if rng.random() < 0.1 else rng.choice(PRS)
    p2 = rng.choice([q for q in PRS + [0] if q != p1]) if rng.random() < 0.15 else rng.choice([q for q in PRS if q != p1])
    return p1, p2


CRELS = ["eq", "ne", "lt", "le", "gt", "ge", "ltu", "leu", "gtu", "geu"]


def gen_cmp(rng):
    op = rng.choice(["cmp", "cmp4"])
    p1, p2 = pred_pair(rng)
    form = rng.random()
    if form < 0.55:
        # register/register or immediate/register with the none and unc types: every relation
        crel = rng.choice(CRELS)
        ctype = rng.choice(["", ".unc"])
        if rng.random() < 0.6:
            a, b = gr(rng), gr(rng)
            return Ins(f"{op}.{crel}{ctype} p{p1}, p{p2} = r{a}, r{b}", [a, b], [], [p1, p2])
        b = gr(rng)
        # gas encodes le/gt/leu/gtu against an immediate as lt/ltu against imm-1, so keep the
        # immediate where every relation can be encoded (leu/gtu cannot take 0).
        imm = rng.randint(-127, 127)
        if crel in ("leu", "gtu") and imm == 0:
            imm = 1
        return Ins(f"{op}.{crel}{ctype} p{p1}, p{p2} = {imm}, r{b}", [b], [], [p1, p2])
    if form < 0.8:
        # parallel types: eq/ne against a register or an immediate
        crel = rng.choice(["eq", "ne"])
        ctype = rng.choice([".and", ".or", ".or.andcm", ".andcm", ".orcm", ".and.orcm"])
        b = gr(rng)
        if rng.random() < 0.6:
            a = gr(rng)
            return Ins(f"{op}.{crel}{ctype} p{p1}, p{p2} = r{a}, r{b}", [a, b], [], [p1, p2])
        imm = rng.randint(-128, 127)
        return Ins(f"{op}.{crel}{ctype} p{p1}, p{p2} = {imm}, r{b}", [b], [], [p1, p2])
    # parallel types: signed relations against r0
    crel = rng.choice(["lt", "le", "gt", "ge"])
    ctype = rng.choice([".and", ".or", ".or.andcm"])
    b = gr(rng)
    return Ins(f"{op}.{crel}{ctype} p{p1}, p{p2} = r0, r{b}", [b], [], [p1, p2])


def gen_tbit(rng):
    p1, p2 = pred_pair(rng)
    trel = rng.choice(["z", "nz"])
    ctype = rng.choice(["", ".unc", ".and", ".or", ".or.andcm"])
    r = gr(rng)
    if rng.random() < 0.75:
        return Ins(f"tbit.{trel}{ctype} p{p1}, p{p2} = r{r}, {rng.randrange(64)}", [r], [], [p1, p2])
    return Ins(f"tnat.{trel}{ctype} p{p1}, p{p2} = r{r}", [r], [], [p1, p2])


def gen_alu(rng):
    d, a, b = gr(rng), gr(rng), gr(rng)
    k = rng.randrange(13)
    if k == 0:
        return Ins(f"add r{d} = r{a}, r{b}", [a, b], [d])
    if k == 1:
        return Ins(f"add r{d} = r{a}, r{b}, 1", [a, b], [d])
    if k == 2:
        return Ins(f"sub r{d} = r{a}, r{b}", [a, b], [d])
    if k == 3:
        return Ins(f"sub r{d} = r{a}, r{b}, 1", [a, b], [d])
    if k == 4:
        return Ins(f"sub r{d} = {simm(rng, 8)}, r{b}", [b], [d])
    if k == 5:
        return Ins(f"adds r{d} = {simm(rng, 14)}, r{b}", [b], [d])
    if k == 6:
        s = rng.choice([0, 1, 2, 3])
        return Ins(f"addl r{d} = {simm(rng, 22)}, r{s}", [s] if s else [], [d])
    if k == 7:
        op = rng.choice(["and", "or", "xor", "andcm"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 8:
        op = rng.choice(["and", "or", "xor", "andcm"])
        return Ins(f"{op} r{d} = {simm(rng, 8)}, r{b}", [b], [d])
    if k == 9:
        op = rng.choice(["shladd", "shladdp4"])
        return Ins(f"{op} r{d} = r{a}, {rng.randint(1, 4)}, r{b}", [a, b], [d])
    if k == 10:
        return Ins(f"addp4 r{d} = r{a}, r{b}", [a, b], [d])
    if k == 11:
        return Ins(f"addp4 r{d} = {simm(rng, 14)}, r{b}", [b], [d])
    return Ins(f"mov r{d} = r{b}", [b], [d])


def gen_shift(rng):
    d, a, b = gr(rng), gr(rng), gr(rng)
    k = rng.randrange(12)
    if k == 0:
        return Ins(f"shl r{d} = r{a}, r{b}", [a, b], [d])
    if k == 1:
        op = rng.choice(["shr", "shr.u"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 2:
        return Ins(f"shl r{d} = r{a}, {rng.randrange(64)}", [a], [d])
    if k == 3:
        op = rng.choice(["shr", "shr.u"])
        return Ins(f"{op} r{d} = r{a}, {rng.randrange(64)}", [a], [d])
    if k == 4:
        return Ins(f"shrp r{d} = r{a}, r{b}, {rng.randrange(64)}", [a, b], [d])
    if k == 5:
        op = rng.choice(["extr", "extr.u"])
        pos = rng.randrange(64)
        ln = rng.randint(1, 64) if rng.random() < 0.3 else rng.randint(1, 64 - pos)
        return Ins(f"{op} r{d} = r{a}, {pos}, {ln}", [a], [d])
    if k == 6:
        pos, ln = rng.randrange(64), rng.randint(1, 16)
        return Ins(f"dep r{d} = r{a}, r{b}, {pos}, {ln}", [a, b], [d])
    if k == 7:
        pos = rng.randrange(64)
        ln = rng.randint(1, 64) if rng.random() < 0.3 else rng.randint(1, 64 - pos)
        imm = rng.choice([0, -1])
        return Ins(f"dep r{d} = {imm}, r{b}, {pos}, {ln}", [b], [d])
    if k == 8:
        pos = rng.randrange(64)
        ln = rng.randint(1, 64) if rng.random() < 0.3 else rng.randint(1, 64 - pos)
        return Ins(f"dep.z r{d} = r{a}, {pos}, {ln}", [a], [d])
    if k == 9:
        pos = rng.randrange(64)
        ln = rng.randint(1, 64) if rng.random() < 0.3 else rng.randint(1, 64 - pos)
        return Ins(f"dep.z r{d} = {simm(rng, 8)}, {pos}, {ln}", [], [d])
    if k == 10:
        op = rng.choice(["zxt1", "zxt2", "zxt4", "sxt1", "sxt2", "sxt4"])
        return Ins(f"{op} r{d} = r{a}", [a], [d])
    op = rng.choice(["popcnt", "czx1.l", "czx1.r", "czx2.l", "czx2.r"])
    return Ins(f"{op} r{d} = r{a}", [a], [d])


def gen_mm(rng):
    d, a, b = gr(rng), gr(rng), gr(rng)
    k = rng.randrange(16)
    if k == 0:
        op = rng.choice(["padd1", "padd2", "padd4", "padd1.sss", "padd1.uus", "padd1.uuu",
                         "padd2.sss", "padd2.uus", "padd2.uuu"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 1:
        op = rng.choice(["psub1", "psub2", "psub4", "psub1.sss", "psub1.uus", "psub1.uuu",
                         "psub2.sss", "psub2.uus", "psub2.uuu"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 2:
        op = rng.choice(["pavg1", "pavg2", "pavg1.raz", "pavg2.raz", "pavgsub1", "pavgsub2"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 3:
        op = rng.choice(["pcmp1.eq", "pcmp2.eq", "pcmp4.eq", "pcmp1.gt", "pcmp2.gt", "pcmp4.gt"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 4:
        op = rng.choice(["pmin1.u", "pmax1.u", "pmin2", "pmax2", "psad1"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 5:
        op = rng.choice(["pshl2", "pshl4"])
        if rng.random() < 0.5:
            return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
        return Ins(f"{op} r{d} = r{a}, {rng.randrange(32)}", [a], [d])
    if k == 6:
        op = rng.choice(["pshr2", "pshr4", "pshr2.u", "pshr4.u"])
        if rng.random() < 0.5:
            return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
        return Ins(f"{op} r{d} = r{a}, {rng.randrange(32)}", [a], [d])
    if k == 7:
        op = rng.choice(["pshladd2", "pshradd2"])
        return Ins(f"{op} r{d} = r{a}, {rng.randint(1, 3)}, r{b}", [a, b], [d])
    if k == 8:
        op = rng.choice(["mix1.l", "mix1.r", "mix2.l", "mix2.r", "mix4.l", "mix4.r"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 9:
        op = rng.choice(["unpack1.h", "unpack1.l", "unpack2.h", "unpack2.l", "unpack4.h", "unpack4.l"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 10:
        op = rng.choice(["pack2.sss", "pack2.uss", "pack4.sss"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 11:
        mb = rng.choice(["@rev", "@mix", "@shuf", "@alt", "@brcst"])
        return Ins(f"mux1 r{d} = r{a}, {mb}", [a], [d])
    if k == 12:
        return Ins(f"mux2 r{d} = r{a}, 0x{rng.randrange(256):02x}", [a], [d])
    if k == 13:
        op = rng.choice(["pmpy2.l", "pmpy2.r"])
        return Ins(f"{op} r{d} = r{a}, r{b}", [a, b], [d])
    if k == 14:
        op = rng.choice(["pmpyshr2", "pmpyshr2.u"])
        return Ins(f"{op} r{d} = r{a}, r{b}, {rng.choice([0, 7, 15, 16])}", [a, b], [d])
    return Ins(f"mpy4 r{d} = r{a}, r{b}", [a, b], [d])


def random_instruction(rng):
    k = rng.random()
    if k < 0.22:
        ins = gen_cmp(rng)
    elif k < 0.30:
        ins = gen_tbit(rng)
    elif k < 0.55:
        ins = gen_alu(rng)
    elif k < 0.75:
        ins = gen_shift(rng)
    else:
        ins = gen_mm(rng)
    if rng.random() < 0.25:
        qp = rng.choice(PRS)
        ins.text = f"(p{qp}) " + ins.text
        ins.qp = qp
    return ins


def program(rng, length):
    lines = ["\t.data", "\t.align 8", "natdata:"]
    nat_regs = sorted(rng.sample(GRS, rng.randint(1, 3))) if rng.random() < 0.5 else []
    nat_values = [rng.getrandbits(64) if rng.random() < 0.7 else random_value(rng) for _ in nat_regs]
    lines += [f"\tdata8 0x{v:016x}" for v in nat_values] or ["\tdata8 0"]
    lines += ["\t.text", "\t.global _start", "\t.proc _start", "_start:"]
    lines += [f"\tmovl r2 = 0x{rng.getrandbits(64):016x}", "\t;;", "\tmov pr = r2, -1", "\t;;"]
    if nat_regs:
        # ld8.fill takes the NaT bit from ar.unat (every bit set), the value from memory.
        lines += ["\tmov r2 = -1", "\t;;", "\tmov ar.unat = r2", "\tmovl r2 = natdata", "\t;;"]
        order = [r for r in nat_regs if r != 2] + [r for r in nat_regs if r == 2]
        for r in order:
            lines += [f"\tld8.fill r{r} = [r2]" if r == 2 else f"\tld8.fill r{r} = [r2], 8", "\t;;"]
    for r in GRS:
        if r not in nat_regs:
            lines.append(f"\tmovl r{r} = 0x{random_value(rng):016x}")
    lines.append("\t;;")
    written, pwritten = set(), set()
    for _ in range(length):
        ins = random_instruction(rng)
        if ((ins.reads | ins.writes) & written) or (ins.qp in pwritten) or (ins.pwrites & pwritten):
            lines.append("\t;;")
            written, pwritten = set(), set()
        lines.append("\t" + ins.text)
        written |= ins.writes
        pwritten |= ins.pwrites
    lines += ["\t;;", "\t.global done", "done:", "\tnop.m 0", "\tmov r15 = 1025", "\tnop.i 0",
              "\t;;", "\tbreak.i 0x100000", "\t.endp _start", ""]
    return "\n".join(lines)


def check(source):
    with tempfile.TemporaryDirectory() as d:
        s, o, x = (os.path.join(d, n) for n in ("p.s", "p.o", "p"))
        open(s, "w").write(source)
        subprocess.run(["ia64-linux-gnu-as", "-x", "-o", o, s], check=True)
        subprocess.run(["ia64-linux-gnu-ld", "-static", "-e", "_start", "-o", x, o], check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--length", type=int, default=40, help="random instructions per program")
    ap.add_argument("--check", action="store_true", help="assemble and link every program")
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    programs = []
    for i in range(args.count):
        src = program(rng, args.length)
        if args.check:
            check(src)
        programs.append({"index": i, "source": src})
    text = json.dumps({"seed": args.seed, "programs": programs}, indent=1) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        open(args.output, "w").write(text)


if __name__ == "__main__":
    main()
