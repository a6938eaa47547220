/* An independent depth-2 gradient-descent simulator, for checking
   `neft train --ensemble` by a different code path (docs/cmd-train.md, the
   relu variance offset; the tanh O(1/n) table).  Not built by meson and not
   run by the tests:

     cc -O2 -o train-sim bench/train_depth2_sim.c -lm
     ./train-sim WIDTH NETS STEPS ACT CW CB SEED     (ACT 0 relu, 1 tanh, 2 linear)

   The data are docs/data/learn.csv's four examples and the test inputs
   (1, 1), (0.5, -0.5), d_in 2, eta = 1/10, lambda_b = lambda_W = 1 (built in).
   Each neuron is kept as its state (a, z on the 6 inputs), with its own
   xorshift128+ / Box-Muller normals (not neft's streams): a ~ N(0, C_W),
   z = b + W.x with b ~ N(0, C_b), W ~ N(0, C_W/2); the output bias ~ N(0, C_b);
   the RYH rates of neft train.  Prints the trained mean and variance at the
   two test inputs with delete-one-batch jackknife errors over 32 batches. */
/* independent depth-2 GD simulator: neuron state (a, z at P points) */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
static uint64_t s[2];
static uint64_t nx(void){uint64_t a=s[0],b=s[1];s[0]=b;a^=a<<23;s[1]=a^b^(a>>17)^(b>>26);return s[1]+b;}
static double un(void){return ((nx()>>11)+0.5)*(1.0/9007199254740992.0);}
static double gs(void){static int h=0;static double v;if(h){h=0;return v;}double r=sqrt(-2*log(un())),t=6.283185307179586*un();v=r*sin(t);h=1;return r*cos(t);}
int main(int argc,char**argv){
  int n=atoi(argv[1]); long M=atol(argv[2]); int T=atoi(argv[3]); int act=atoi(argv[4]); /*0 relu 1 tanh 2 linear*/
  double cw=atof(argv[5]), cb=atof(argv[6]); s[0]=atol(argv[7])*2654435761u+1; s[1]=0x9e3779b97f4a7c15ull;
  double X[6][2]={{1,0},{0,1},{0.6,0.8},{-0.5,0.25},{1,1},{0.5,-0.5}}, Y[4]={1,-1,0.5,0.3};
  int P=6,nA=4,d=2; double eta=0.1,lb=1,lw=1;
  double th1[6][6]; for(int i=0;i<P;i++)for(int j=0;j<P;j++)th1[i][j]=lb+lw*(X[i][0]*X[j][0]+X[i][1]*X[j][1])/d;
  double *a=malloc(n*sizeof(double)),*z=malloc(n*P*sizeof(double));
  int B=32; double S[32][2][3]; memset(S,0,sizeof S);
  for(long m=0;m<M;m++){
    int bb=m%B;
    double b2=sqrt(cb)*gs();
    for(int i=0;i<n;i++){double c0=sqrt(cb)*gs(),c1=sqrt(cw/d)*gs(),c2=sqrt(cw/d)*gs();a[i]=sqrt(cw)*gs();
      for(int p=0;p<P;p++)z[i*P+p]=c0+c1*X[p][0]+c2*X[p][1];}
    double f[6];
    for(int t=0;;t++){
      for(int p=0;p<P;p++)f[p]=0;
      for(int i=0;i<n;i++)for(int p=0;p<P;p++){double zz=z[i*P+p],h=act==0?(zz>0?zz:0):act==1?tanh(zz):zz;f[p]+=a[i]*h;}
      for(int p=0;p<P;p++)f[p]=b2+f[p]/sqrt(n);
      if(t==T)break;
      double e[4],u[4]; for(int A=0;A<nA;A++){e[A]=f[A]-Y[A];u[A]=e[A]/sqrt(n);}
      for(int i=0;i<n;i++){double sg[4],dg[4];
        for(int A=0;A<nA;A++){double zz=z[i*P+A];
          if(act==0){sg[A]=zz>0?zz:0;dg[A]=zz>0?1:0;}else if(act==1){sg[A]=tanh(zz);dg[A]=1-sg[A]*sg[A];}else{sg[A]=zz;dg[A]=1;}}
        double ai=a[i],da=0; for(int A=0;A<nA;A++)da+=sg[A]*u[A];
        for(int p=0;p<P;p++){double dz=0;for(int A=0;A<nA;A++)dz+=dg[A]*th1[p][A]*u[A];z[i*P+p]-=eta*ai*dz;}
        a[i]-=eta*lw*da;}
      double se=0;for(int A=0;A<nA;A++)se+=e[A]; b2-=eta*lb*se;
    }
    for(int k=0;k<2;k++){S[bb][k][0]+=1;S[bb][k][1]+=f[4+k];S[bb][k][2]+=f[4+k]*f[4+k];}
  }
  for(int k=0;k<2;k++){double N=0,s1=0,s2=0;for(int b=0;b<B;b++){N+=S[b][k][0];s1+=S[b][k][1];s2+=S[b][k][2];}
    double mu=s1/N,var=(s2/N-mu*mu)*N/(N-1);
    /* jackknife */ double jm[32],jv[32],mm=0,mv=0;
    for(int b=0;b<B;b++){double Nn=N-S[b][k][0],a1=(s1-S[b][k][1])/Nn,a2=(s2-S[b][k][2])/Nn;jm[b]=a1;jv[b]=(a2-a1*a1)*Nn/(Nn-1);mm+=jm[b]/B;mv+=jv[b]/B;}
    double em=0,ev=0;for(int b=0;b<B;b++){em+=(jm[b]-mm)*(jm[b]-mm);ev+=(jv[b]-mv)*(jv[b]-mv);}
    em=sqrt(em*(B-1)/B);ev=sqrt(ev*(B-1)/B);
    printf("n %d M %ld T %d x%d mean %.6f +- %.6f var %.6f +- %.6f\n",n,M,T,k,mu,em,var,ev);}
  return 0;}
