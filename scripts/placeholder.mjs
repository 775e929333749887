// A script whose issue has not landed yet says what it will do and exits 0.
const [name, what] = process.argv.slice(2);
console.log(`${name}: not built yet — will run ${what}.`);
