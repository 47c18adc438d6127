import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One submitted score. `createdAt` is ISO-8601 UTC with milliseconds, so text order is time order. */
@Entity({ name: 'scores' })
export class ScoreEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'text' })
  player!: string;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'text', name: 'created_at' })
  createdAt!: string;
}
