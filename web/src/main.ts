import './style.css';
import { cleanPlayerName } from '../../src/game/player-name.ts';
import { ApiClient, type IssuedRun, type LeaderboardEntry } from './api';
import { Game, type Phase } from './game/core';
import { FixedStepper } from './game/fixed-step';
import { loadBest, loadName, saveBest, saveName } from './player-name';
import { type Effects, render } from './render';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('field');
const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
const statusLine = $('status');
const apiStatus = $('api-status');
const boardStatus = $('board-status');
const nameInput = $<HTMLInputElement>('player');
const startButton = $<HTMLButtonElement>('start');
const board = $<HTMLOListElement>('leaderboard');
const scoreOut = $('score');
const bestOut = $('best');
const playingAs = $('playing-as');

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
})();
const api = new ApiClient();
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const stepper = new FixedStepper();

const seedFromUrl = Number(new URLSearchParams(location.search).get('seed'));
const newSeed = () => (Number.isSafeInteger(seedFromUrl) && seedFromUrl !== 0 ? seedFromUrl : crypto.getRandomValues(new Uint32Array(1))[0]!);

/** One run as the API sees it: the run the server issued (asked for at the first flap) and who plays it. */
interface RunTicket {
  number: number;
  run: Promise<IssuedRun | undefined>;
  player: string;
}

let game = new Game(newSeed());
let flapRequested = false;
let lastPhase: Phase = 'idle';
let frame = 0;
let best = loadBest(storage);
let player = loadName(storage);
let ticket: RunTicket | undefined;
let runs = 0;
let effects: Effects = { newBest: false };

type Tone = 'info' | 'success' | 'error';
function say(tone: Tone, message: string): void {
  apiStatus.dataset.tone = tone;
  apiStatus.textContent = message;
}

function showPlayer(): void {
  nameInput.value = player;
  playingAs.textContent = player || 'Guest';
}

function flap(): void {
  if (game.currentPhase === 'over') return;
  flapRequested = true;
}

function restart(): void {
  game = new Game(newSeed());
  stepper.reset();
  flapRequested = false;
  lastPhase = 'idle';
  effects = { newBest: false };
  setPhase('idle');
  say('info', '');
  canvas.focus();
}

function setPhase(phase: Phase): void {
  document.body.dataset.phase = phase;
  startButton.textContent = phase === 'over' ? 'Restart' : 'Start';
}

/** Phase changes are where the game talks to the API — once per run, never blocking play. */
function onPhaseChange(phase: Phase): void {
  setPhase(phase);
  if (phase === 'running') {
    runs += 1;
    // The name is taken as the run starts: renaming mid-run applies to the next one.
    ticket = { number: runs, run: api.startRun(), player };
    void ticket.run.then((run) => {
      if (!run && ticket?.number === runs) say('error', 'The server did not start this run: playing offline, the score will not be saved.');
    });
  }
  if (phase === 'over') {
    const score = game.currentScore;
    effects = { crashedAtFrame: frame, newBest: score > best };
    if (score > best) {
      best = score;
      saveBest(storage, best);
      bestOut.textContent = String(best);
    }
    if (ticket && score > 0) void submit(ticket, score);
    else say('info', 'No points this run, so nothing to save: pass a duct to get on the board.');
    startButton.focus();
  }
}

async function submit(forRun: RunTicket, score: number): Promise<void> {
  say('info', 'Saving your score…');
  const run = await forRun.run;
  const outcome = run ? await api.submitScore(run, forRun.player, score) : { ok: false, message: 'Score not saved: the server did not start this run.' };
  if (forRun.number === runs) say(outcome.ok ? 'success' : 'error', outcome.message);
  await refreshLeaderboard();
}

async function refreshLeaderboard(): Promise<void> {
  const entries = await api.leaderboard();
  if (!entries) {
    boardStatus.textContent = 'Leaderboard unavailable right now.';
    return;
  }
  boardStatus.textContent = '';
  board.replaceChildren(...entries.map(entryItem));
}

/** Names are text, never markup. */
function entryItem(entry: LeaderboardEntry): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = entry.player;
  const score = document.createElement('strong');
  score.textContent = String(entry.score);
  item.append(name, score);
  return item;
}

function tick(now: number): void {
  const steps = stepper.advance(now);
  for (let i = 0; i < steps; i++) {
    game.step({ flap: flapRequested });
    flapRequested = false;
    if (game.currentPhase !== lastPhase) {
      lastPhase = game.currentPhase;
      onPhaseChange(lastPhase);
    }
  }
  frame += 1;
  const snapshot = game.snapshot();
  render(ctx, snapshot, frame, !reducedMotion.matches, effects);
  const score = String(snapshot.score);
  if (scoreOut.textContent !== score) scoreOut.textContent = score;
  if (statusLine.textContent !== snapshot.statusLine) statusLine.textContent = snapshot.statusLine;
  requestAnimationFrame(tick);
}

const typing = (target: EventTarget | null) => target instanceof HTMLInputElement || target instanceof HTMLButtonElement;

document.addEventListener('keydown', (event) => {
  if ((event.code === 'Space' || event.code === 'ArrowUp') && !typing(event.target)) {
    event.preventDefault();
    if (!event.repeat) flap();
  }
});
canvas.addEventListener('pointerdown', (event) => {
  event.preventDefault();
  canvas.focus();
  flap();
});
startButton.addEventListener('click', () => {
  if (game.currentPhase === 'over') restart();
  else {
    canvas.focus();
    flap();
  }
});
// Saving a name never starts or restarts a run: Enter in the field only saves it.
$<HTMLFormElement>('name-form').addEventListener('submit', (event) => {
  event.preventDefault();
  player = cleanPlayerName(nameInput.value);
  saveName(storage, player);
  showPlayer();
  say('success', player ? `Saved: you play as ${player}.` : 'Saved: you play as Guest.');
  if (game.currentPhase === 'over') startButton.focus();
  else canvas.focus();
});
// A hidden tab stops requestAnimationFrame; on return, start the clock afresh instead of catching up.
document.addEventListener('visibilitychange', () => stepper.reset());

showPlayer();
bestOut.textContent = String(best);
if (!player) {
  // Asked before the first run: the leaderboard shows this name.
  say('info', 'Choose a name for the leaderboard and press Enter, or just play as Guest.');
  nameInput.focus();
}
void refreshLeaderboard();
requestAnimationFrame(tick);
