# eval.py BEFORE AFTER [RULE]: per-rule counts of two run.sh outputs, and the
# findings of RULE that appear or go (to judge by hand).
import json, sys, collections
def load(p):
    return [json.loads(l) for l in open(p)]
b, a = load(sys.argv[1]), load(sys.argv[2])
cb = collections.Counter((r['rule'], r['severity']) for r in b)
ca = collections.Counter((r['rule'], r['severity']) for r in a)
rules = sorted(set(k[0] for k in cb) | set(k[0] for k in ca))
print("%-26s %-34s %-34s" % ("rule", "before (by severity)", "after (by severity)"))
for rule in rules:
    fb = ", ".join("%s %d" % (s, n) for (r, s), n in sorted(cb.items()) if r == rule)
    fa = ", ".join("%s %d" % (s, n) for (r, s), n in sorted(ca.items()) if r == rule)
    print("%-26s %-34s %-34s" % (rule, fb, fa))
key = lambda r: (r['file'], r['line'], r['rule'], r['message'])
kb = {key(r): r for r in b}
ka = {key(r): r for r in a}
if len(sys.argv) > 3:
    rule = sys.argv[3]
    print("\n-- gone (%s)" % rule)
    for k in sorted(set(kb) - set(ka)):
        if k[2] == rule: print("  %s:%d %s %s" % (k[0], k[1], kb[k]['severity'], kb[k]['message'][:170]))
    print("-- new (%s)" % rule)
    for k in sorted(set(ka) - set(kb)):
        if k[2] == rule: print("  %s:%d %s %s" % (k[0], k[1], ka[k]['severity'], ka[k]['message'][:170]))
