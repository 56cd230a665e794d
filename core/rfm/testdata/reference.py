# Independent reference values for core/rfm/realdata_test.go, in plain Python
# (csv module only, no segkit code). Run from the shared data folder:
#   python3 reference.py retail   |   python3 reference.py cdnow
import csv, collections, datetime, math, sys
def quint(vals):
    n=len(vals); out=[]
    for v in vals:
        lo=sum(1 for w in vals if w<v)
        out.append(1 if n==1 else max(1, math.ceil(5*lo/(n-1))))
    return out
grid=[["Lost","Hibernating","About To Sleep","Promising","New Customers"],
["Lost","Hibernating","Need Attention","Potential Loyalist","Potential Loyalist"],
["At Risk","At Risk","Loyal Customers","Loyal Customers","Loyal Customers"],
["Can't Lose Them","At Risk","Loyal Customers","Champions","Champions"],
["Can't Lose Them","At Risk","Loyal Customers","Champions","Champions"]]
def run(cust, rows, ref=None):
    # rows: (cust, invoice or None, date, amount, qty)
    C=collections.OrderedDict(); maxd=None
    for c,inv,dt,amt,q in rows:
        if ref and dt>ref: continue
        cancel = inv is not None and inv.startswith('C')
        ret = (not cancel) and (amt<0 or q<0)
        s=C.setdefault(c,{'inv':set(),'n':0,'mon':0.0,'p':[],'a':[]})
        s['mon']+=amt; s['a'].append(dt); maxd=dt if maxd is None or dt>maxd else maxd
        if not cancel and not ret:
            s['p'].append(dt)
            if inv is None: s['n']+=1
            else: s['inv'].add(inv)
    if ref is None: ref=datetime.datetime(maxd.year,maxd.month,maxd.day)+datetime.timedelta(days=1)
    out=[]
    for c,s in C.items():
        ds=s['p'] or s['a']; f=s['n']+len(s['inv'])
        out.append(dict(id=c,R=(ref-max(ds)).total_seconds()/86400,F=f,M=s['mon'],T=(ref-min(ds)).total_seconds()/86400))
    r=quint([-o['R'] for o in out]); f=quint([o['F'] for o in out]); m=quint([o['M'] for o in out])
    for i,o in enumerate(out):
        o['score']=f"{r[i]}{f[i]}{m[i]}"; o['seg']=grid[(f[i]+m[i])//2-1][r[i]-1]
    return ref,out
which=sys.argv[1]
if which=='retail':
    rows=[]
    for r in list(csv.reader(open('online_retail_head.csv',encoding='latin-1')))[1:]:
        if not r[6]: continue
        q=int(r[3]); rows.append((r[6],r[0],datetime.datetime.strptime(r[4],'%d/%m/%Y %H:%M'),q*float(r[5]),q))
else:
    rows=[]
    for line in open('CDNOW_sample.txt'):
        p=line.split()
        if not p: continue
        rows.append((p[0],None,datetime.datetime.strptime(p[2],'%Y%m%d'),float(p[4]),int(p[3])))
ref,out=run(None,rows, datetime.datetime(1998,7,1) if which=='cdnow' else None)
print('ref',ref,'customers',len(out))
seg=collections.Counter(o['seg'] for o in out)
for n in ["Champions","Loyal Customers","Potential Loyalist","New Customers","Promising","Need Attention","About To Sleep","At Risk","Can't Lose Them","Hibernating","Lost"]: print(f'  {n!r}: {seg[n]},')
for k in 'RFM': print(k, sorted(collections.Counter(o['score']['RFM'.index(k)] for o in out).items()))
for o in out[:3]+[o for o in out if o['id'] in ('15311','14911','00004','00018')]: print(o)
